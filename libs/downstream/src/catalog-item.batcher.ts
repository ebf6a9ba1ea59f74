import { isIdentifiedItems, type CatalogItem } from '@app/contracts';
import type { BatchKind } from './transport/policy';

/**
 * Catalog items by id as the transport's batch policy merges them: many `GET {base}/items/{id}`
 * lookups become one `GET {base}/items?ids=a,b,c` (CONTRACTS.md §1: only the ids that exist, in
 * any order), and each lookup gets its own item — or 404 when the catalog has no such id. The merged
 * answer is only checked for ids: each item is checked against its own lookup's shape, so one bad item
 * fails its own lookup, not every caller in the batch.
 */
export function catalogItemsById(base: string): BatchKind {
  return {
    path: (ids) => `${base}/items?ids=${ids.join(',')}`,
    expect: isIdentifiedItems,
    split: (body) => new Map((body as CatalogItem[]).map((item) => [item.id, item])),
  };
}
