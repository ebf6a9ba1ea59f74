import { catalogItemsById } from './catalog-item.batcher';
import type { HttpTransport, StreamResult } from './http-transport';
import {
  isCatalogBrands,
  isCatalogItem,
  isCatalogItems,
  isCatalogPage,
  isCatalogTypes,
  type CatalogBrand,
  type CatalogItem,
  type CatalogPage,
  type CatalogType,
} from '@app/contracts';

export interface CatalogPageQuery {
  pageIndex: number;
  pageSize: number;
  brandId?: number;
  typeId?: number;
}

const BASE = '/api/v1/catalog';

/** Typed port to the catalog service (CONTRACTS.md §1). Anonymous: the caller's token is not relayed. */
export class CatalogClient {
  private readonly itemsById = catalogItemsById(BASE);

  constructor(private readonly transport: HttpTransport) {}

  /** A page ordered by name, optionally filtered by type and brand together or by brand alone. */
  async page(q: CatalogPageQuery): Promise<CatalogPage> {
    const paging = `pageIndex=${q.pageIndex}&pageSize=${q.pageSize}`;
    let path: string;
    if (q.brandId !== undefined && q.typeId !== undefined) path = `${BASE}/items/type/${q.typeId}/brand/${q.brandId}?${paging}`;
    else if (q.brandId !== undefined) path = `${BASE}/items/type/all/brand/${q.brandId}?${paging}`;
    else if (q.typeId !== undefined) throw new Error('page(): a type filter needs a brand; use the composer');
    else path = `${BASE}/items?${paging}`;
    return (await this.transport.call({ method: 'GET', path, expect: isCatalogPage })).body!;
  }

  /** Items whose name starts with `name`, ordered by name. */
  async withName(name: string, pageIndex: number, pageSize: number): Promise<CatalogPage> {
    const path = `${BASE}/items/withname/${encodeURIComponent(name)}?pageIndex=${pageIndex}&pageSize=${pageSize}`;
    return (await this.transport.call({ method: 'GET', path, expect: isCatalogPage })).body!;
  }

  /** The items that exist among `ids` (any order). */
  async byIds(ids: readonly number[]): Promise<CatalogItem[]> {
    if (ids.length === 0) return [];
    const unique = [...new Set(ids)];
    if (this.transport.batching) {
      // Each id as its own lookup: cached items and stale copies count per id, and only the misses
      // go out, merged into `?ids=` calls (with other callers' lookups) by the batch policy.
      const items = await Promise.all(unique.map((id) => this.item(id)));
      return items.filter((item): item is CatalogItem => item !== null);
    }
    return (await this.transport.call({ method: 'GET', path: this.itemsById.path(unique), expect: isCatalogItems })).body!;
  }

  /** One item, or null when the catalog has no such id; with batching on, it may share a `?ids=` call with concurrent lookups. */
  async item(id: number): Promise<CatalogItem | null> {
    const res = await this.transport.call({
      method: 'GET',
      path: `${BASE}/items/${id}`,
      expect: isCatalogItem,
      allow: [404],
      // Only an integer can go into `?ids=` (the catalog answers 400 for the whole list otherwise).
      batch: Number.isSafeInteger(id) ? { kind: this.itemsById, id } : undefined,
    });
    return res.status === 404 ? null : res.body!;
  }

  async brands(): Promise<CatalogBrand[]> {
    return (await this.transport.call({ method: 'GET', path: `${BASE}/catalogbrands`, expect: isCatalogBrands })).body!;
  }

  async types(): Promise<CatalogType[]> {
    return (await this.transport.call({ method: 'GET', path: `${BASE}/catalogtypes`, expect: isCatalogTypes })).body!;
  }

  /** The picture as a stream; status 404 when there is none. */
  picture(id: number): Promise<StreamResult> {
    return this.transport.stream(`${BASE}/items/${id}/pic`);
  }
}
