import type { CatalogItem } from '@app/downstream';
import { pictureLink } from '@app/storefront';

/** CONTRACTS.md §3 WebProduct. */
export interface WebProduct {
  id: number;
  name: string;
  description: string;
  price: number;
  pictureUri: string;
  brand: string | null;
  type: string | null;
  availableStock: number;
}

export function toWebProduct(item: CatalogItem): WebProduct {
  return {
    id: item.id,
    name: item.name,
    description: item.description ?? '',
    price: item.price,
    pictureUri: pictureLink(item.id),
    brand: item.catalogBrand?.brand ?? null,
    type: item.catalogType?.type ?? null,
    availableStock: item.availableStock,
  };
}
