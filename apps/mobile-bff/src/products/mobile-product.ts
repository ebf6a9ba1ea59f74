import { ApiProperty } from '@nestjs/swagger';
import type { CatalogItem } from '@app/downstream';
import { ApiDegraded } from '@app/platform';
import { ApiBasketQuantity, pictureLink } from '@app/storefront';

/** CONTRACTS.md §3 MobileProduct: what a list cell shows, nothing more. */
export class MobileProduct {
  @ApiProperty({ type: 'integer', minimum: 1 })
  id: number;

  @ApiProperty()
  name: string;

  @ApiProperty()
  price: number;

  @ApiProperty({ description: 'The BFF’s picture route for this product', example: '/api/products/1/picture' })
  thumbnailUri: string;

  @ApiProperty({ description: 'availableStock > 0' })
  inStock: boolean;
}

export const MOBILE_PRODUCT_FIELDS = ['id', 'name', 'price', 'thumbnailUri', 'inStock'] as const;

export function toMobileProduct(item: CatalogItem): MobileProduct {
  return { id: item.id, name: item.name, price: item.price, thumbnailUri: pictureLink(item.id), inStock: item.availableStock > 0 };
}

/** GET /api/products: a cursor page. */
export class MobileProductPage {
  @ApiProperty({ type: [MobileProduct], description: 'With `fields`, each item holds only the named properties' })
  items: Partial<MobileProduct>[];

  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
}

/** The product page. */
export class MobileProductDetail {
  @ApiProperty({ type: 'integer', minimum: 1 })
  id: number;

  @ApiProperty()
  name: string;

  @ApiProperty({ description: 'Empty when the catalog has none' })
  description: string;

  @ApiProperty()
  price: number;

  @ApiProperty({ example: '/api/products/1/picture' })
  pictureUri: string;

  @ApiProperty({ description: 'availableStock > 0' })
  inStock: boolean;

  @ApiBasketQuantity()
  basketQuantity: number | null;

  @ApiDegraded(['product', 'basket'])
  degraded: string[];
}

export const MOBILE_DETAIL_FIELDS = ['id', 'name', 'description', 'price', 'pictureUri', 'inStock', 'basketQuantity'] as const;
