import { ApiProperty } from '@nestjs/swagger';
import type { CatalogItem } from '@app/downstream';
import { pictureLink } from '@app/storefront';

/** CONTRACTS.md §3 WebProduct. */
export class WebProduct {
  @ApiProperty({ type: 'integer', minimum: 1 })
  id: number;

  @ApiProperty()
  name: string;

  @ApiProperty({ description: 'Empty when the catalog has none' })
  description: string;

  @ApiProperty({ description: 'The catalog’s current price' })
  price: number;

  @ApiProperty({ description: 'The BFF’s picture route for this product', example: '/api/products/1/picture' })
  pictureUri: string;

  @ApiProperty({ type: 'string', nullable: true, description: 'Brand name; null when the catalog did not include it' })
  brand: string | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'Type name; null when the catalog did not include it' })
  type: string | null;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Units in stock; adding more than this to the basket is a 422' })
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
