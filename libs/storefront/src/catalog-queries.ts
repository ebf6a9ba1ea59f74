import { Injectable, NotFoundException } from '@nestjs/common';
import { aggregate, fixed, optional, required } from '@app/aggregate';
import { BasketClient, CatalogClient, type CatalogItem, type CatalogPage } from '@app/downstream';
import { optionalBuyerId } from '@app/platform';
import { quantityOf } from './priced-basket';

export interface ProductQuery {
  pageIndex: number;
  pageSize: number;
  brandId?: number;
  typeId?: number;
  /** Name prefix. */
  q?: string;
}

/** How many items a name search with filters scans before filtering (the contract has no combined route). */
export const NAME_SEARCH_SCAN = 1000;
/** The most a type-only page asks of each brand: deep pages stay one bounded call per brand. */
export const TYPE_ONLY_SCAN = 1000;

const byName = (a: CatalogItem, b: CatalogItem) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id);

/**
 * Catalog reads shaped as the clients ask for them, expressed only with the routes of CONTRACTS.md §1
 * (so they work against any catalog that honours it, not just ours).
 */
@Injectable()
export class CatalogQueries {
  constructor(
    private readonly catalog: CatalogClient,
    private readonly baskets: BasketClient,
  ) {}

  /**
   * One product (required; 404 when the catalog has none) and, for a signed-in caller who wants it,
   * how many of it the basket holds (optional: null and degraded when basket fails).
   */
  async productForCaller(id: number, withBasket = true): Promise<{ item: CatalogItem; basketQuantity: number | null; degraded: string[] }> {
    const buyerId = optionalBuyerId();
    const { values, degraded } = await aggregate({
      product: required(() => this.catalog.item(id)),
      basket: buyerId && withBasket ? optional(() => this.baskets.get(buyerId)) : fixed(null),
    });
    if (!values.product) throw new NotFoundException({ detail: `There is no product with id ${id}` });
    return { item: values.product, basketQuantity: values.basket ? quantityOf(values.basket, id) : null, degraded };
  }

  page(query: ProductQuery): Promise<CatalogPage> {
    const { pageIndex, pageSize, brandId, typeId, q } = query;
    if (q !== undefined && q !== '') {
      if (brandId === undefined && typeId === undefined) return this.catalog.withName(q, pageIndex, pageSize);
      return this.filteredNameSearch(query, q);
    }
    if (typeId !== undefined && brandId === undefined) return this.typeOnly(typeId, pageIndex, pageSize);
    return this.catalog.page({ pageIndex, pageSize, brandId, typeId });
  }

  /**
   * Items [offset, offset + limit) of a filtered list, for cursor paging: one catalog page when the
   * offset is aligned to the limit, else the two pages around it.
   */
  async window(
    filter: Omit<ProductQuery, 'pageIndex' | 'pageSize'>,
    offset: number,
    limit: number,
  ): Promise<{ items: CatalogItem[]; count: number }> {
    const first = Math.floor(offset / limit);
    const skip = offset - first * limit;
    const indexes = skip === 0 ? [first] : [first, first + 1];
    const pages = await Promise.all(indexes.map((pageIndex) => this.page({ ...filter, pageIndex, pageSize: limit })));
    return { items: pages.flatMap((p) => p.data).slice(skip, skip + limit), count: pages[0].count };
  }

  /**
   * The contract filters by type only together with a brand, so a type-only page is a k-way merge
   * of the per-brand pages (each ordered by name): exact paging for the first TYPE_ONLY_SCAN items
   * of each brand; each brand is asked for at most that many, however deep the page.
   */
  private async typeOnly(typeId: number, pageIndex: number, pageSize: number): Promise<CatalogPage> {
    const brands = await this.catalog.brands();
    const need = (pageIndex + 1) * pageSize;
    const perBrand = Math.min(need, TYPE_ONLY_SCAN);
    const pages = await Promise.all(brands.map((b) => this.catalog.page({ pageIndex: 0, pageSize: perBrand, typeId, brandId: b.id })));
    const merged = pages.flatMap((p) => p.data).sort(byName);
    return {
      pageIndex,
      pageSize,
      count: pages.reduce((sum, p) => sum + p.count, 0),
      data: merged.slice(pageIndex * pageSize, need),
    };
  }

  private async filteredNameSearch(query: ProductQuery, q: string): Promise<CatalogPage> {
    const scan = await this.catalog.withName(q, 0, NAME_SEARCH_SCAN);
    const hits = scan.data.filter(
      (i) =>
        (query.brandId === undefined || i.catalogBrandId === query.brandId) &&
        (query.typeId === undefined || i.catalogTypeId === query.typeId),
    );
    const start = query.pageIndex * query.pageSize;
    return { pageIndex: query.pageIndex, pageSize: query.pageSize, count: hits.length, data: hits.slice(start, start + query.pageSize) };
  }
}
