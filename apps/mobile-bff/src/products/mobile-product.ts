import type { CatalogItem } from '@app/downstream';
import { pictureLink } from '@app/storefront';

/** CONTRACTS.md §3 MobileProduct: what a list cell shows, nothing more. */
export interface MobileProduct {
  id: number;
  name: string;
  price: number;
  thumbnailUri: string;
  inStock: boolean;
}

export const MOBILE_PRODUCT_FIELDS = ['id', 'name', 'price', 'thumbnailUri', 'inStock'] as const;

export function toMobileProduct(item: CatalogItem): MobileProduct {
  return { id: item.id, name: item.name, price: item.price, thumbnailUri: pictureLink(item.id), inStock: item.availableStock > 0 };
}

/** The product page. */
export interface MobileProductDetail {
  id: number;
  name: string;
  description: string;
  price: number;
  pictureUri: string;
  inStock: boolean;
  basketQuantity: number | null;
}

export const MOBILE_DETAIL_FIELDS = ['id', 'name', 'description', 'price', 'pictureUri', 'inStock', 'basketQuantity'] as const;
