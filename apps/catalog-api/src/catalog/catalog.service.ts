import { Inject, Injectable } from '@nestjs/common';
import { CATALOG_BRANDS, CATALOG_TYPES, buildCatalog, compareByName } from './catalog-seed';
import type { CatalogBrand, CatalogItem, CatalogItemRecord, CatalogType, PaginatedItems } from './catalog-item.model';
import type { Paging } from './catalog-query.parser';

export const CATALOG_OPTIONS = Symbol('CATALOG_OPTIONS');

export interface CatalogServiceOptions {
  /** Base of `pictureUri`; when unset, the Host the request came in on (an internal URL either way). */
  pictureBaseUrl?: string;
}

export interface ItemFilter {
  typeId?: number;
  brandId?: number;
  namePrefix?: string;
}

/** Read-only, in-memory catalog. Built once; the by-name order is computed once, not per request. */
@Injectable()
export class CatalogService {
  private readonly byName: readonly CatalogItemRecord[];
  private readonly byId: ReadonlyMap<number, CatalogItemRecord>;

  constructor(@Inject(CATALOG_OPTIONS) private readonly options: CatalogServiceOptions) {
    const items = buildCatalog();
    this.byId = new Map(items.map((item) => [item.id, item]));
    this.byName = [...items].sort(compareByName);
  }

  page(paging: Paging, filter: ItemFilter, baseUrl: string): PaginatedItems<CatalogItem> {
    const prefix = filter.namePrefix?.toLowerCase();
    const matching = this.byName.filter(
      (item) =>
        (filter.typeId === undefined || item.catalogTypeId === filter.typeId) &&
        (filter.brandId === undefined || item.catalogBrandId === filter.brandId) &&
        (prefix === undefined || item.name.toLowerCase().startsWith(prefix)),
    );
    const start = paging.pageIndex * paging.pageSize;
    return {
      pageIndex: paging.pageIndex,
      pageSize: paging.pageSize,
      count: matching.length,
      data: matching.slice(start, start + paging.pageSize).map((item) => this.present(item, baseUrl)),
    };
  }

  byIds(ids: number[], baseUrl: string): CatalogItem[] {
    const seen = new Set<number>();
    const found: CatalogItem[] = [];
    for (const id of ids) {
      const item = this.byId.get(id);
      if (item && !seen.has(id)) {
        seen.add(id);
        found.push(this.present(item, baseUrl));
      }
    }
    return found;
  }

  find(id: number, baseUrl: string): CatalogItem | undefined {
    const item = this.byId.get(id);
    return item && this.present(item, baseUrl);
  }

  exists(id: number): boolean {
    return this.byId.has(id);
  }

  types(): CatalogType[] {
    return CATALOG_TYPES.map((t) => ({ ...t }));
  }

  brands(): CatalogBrand[] {
    return CATALOG_BRANDS.map((b) => ({ ...b }));
  }

  /** The configured picture base, else the one derived from the request. */
  pictureBase(requestBase: string): string {
    return this.options.pictureBaseUrl ?? requestBase;
  }

  private present(item: CatalogItemRecord, baseUrl: string): CatalogItem {
    return {
      ...item,
      catalogType: { ...item.catalogType },
      catalogBrand: { ...item.catalogBrand },
      pictureUri: `${baseUrl}/api/v1/catalog/items/${item.id}/pic`,
    };
  }
}
