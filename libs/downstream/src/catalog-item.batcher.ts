import { isCatalogItems, type CatalogItem } from '@app/contracts';
import type { BatchKind } from './transport/policy';

/**
 * Catalog items by id as the transport's batch policy merges them: many `GET {base}/items/{id}`
 * lookups become one `GET {base}/items?ids=a,b,c` (CONTRACTS.md §1: only the ids that exist, in
 * any order), and each lookup gets its own item — or 404 when the catalog has no such id.
 */
export function catalogItemsById(base: string): BatchKind {
  return {
    path: (ids) => `${base}/items?ids=${ids.join(',')}`,
    expect: isCatalogItems,
    split: (body) => new Map((body as CatalogItem[]).map((item) => [item.id, item])),
  };
}
