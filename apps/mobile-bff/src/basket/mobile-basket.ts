import { ApiProperty } from '@nestjs/swagger';
import { ApiDegraded } from '@app/platform';
import { pictureLink, type PricedBasket } from '@app/storefront';

export class MobileBasketLine {
  @ApiProperty({ description: 'The line id (basketItemId of PUT/DELETE)' })
  id: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  productId: number;

  @ApiProperty()
  name: string;

  @ApiProperty({ description: 'The catalog’s current price (the stored one when the catalog part degraded)' })
  price: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 99 })
  quantity: number;

  @ApiProperty({ example: '/api/products/1/picture' })
  thumbnailUri: string;
}

/** The mobile basket: one line per row, current price, a thumbnail; totals for the checkout button. */
export class MobileBasket {
  @ApiProperty({ type: [MobileBasketLine] })
  items: MobileBasketLine[];

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Sum of the lines’ quantities' })
  count: number;

  @ApiProperty({ description: 'Sum of price × quantity' })
  total: number;

  @ApiDegraded(['catalog'])
  degraded: string[];
}

export function toMobileBasket(b: PricedBasket): MobileBasket {
  return {
    items: b.lines.map((l) => ({
      id: l.line.id,
      productId: l.line.productId,
      name: l.line.productName,
      price: l.unitPrice,
      quantity: l.line.quantity,
      thumbnailUri: pictureLink(l.line.productId),
    })),
    count: b.itemCount,
    total: b.total,
    degraded: b.degraded,
  };
}
