import { Injectable } from '@nestjs/common';
import { CatalogClient, type CatalogItem, type CatalogPage } from '@app/downstream';

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

const byName = (a: CatalogItem, b: CatalogItem) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id);

/**
 * Catalog reads shaped as the clients ask for them, expressed only with the routes of CONTRACTS.md §1
 * (so they work against any catalog that honours it, not just ours).
 */
@Injectable()
export class CatalogQueries {
  constructor(private readonly catalog: CatalogClient) {}

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
   * The contract filters by type only together with a brand, so a type-only page is a k-way merge
   * of the per-brand pages (each ordered by name): exact paging, cost growing with the page index.
   */
  private async typeOnly(typeId: number, pageIndex: number, pageSize: number): Promise<CatalogPage> {
    const brands = await this.catalog.brands();
    const need = (pageIndex + 1) * pageSize;
    const pages = await Promise.all(
      brands.map((b) => this.catalog.page({ pageIndex: 0, pageSize: need, typeId, brandId: b.id })),
    );
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
