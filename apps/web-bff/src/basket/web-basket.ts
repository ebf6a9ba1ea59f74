import { ApiProperty } from '@nestjs/swagger';
import { ApiDegraded } from '@app/platform';
import { pictureLink, type PricedBasket } from '@app/storefront';

export class WebBasketLine {
  @ApiProperty({ description: 'The line id (basketItemId of PUT/DELETE)' })
  id: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  productId: number;

  @ApiProperty()
  productName: string;

  @ApiProperty({ description: 'The catalog’s current price (the stored one when the catalog part degraded)' })
  unitPrice: number;

  @ApiProperty({ description: 'The price the line was added at' })
  oldUnitPrice: number;

  @ApiProperty({ description: 'unitPrice differs from oldUnitPrice' })
  priceChanged: boolean;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 99 })
  quantity: number;

  @ApiProperty({ example: '/api/products/1/picture' })
  pictureUri: string;

  @ApiProperty({ description: 'unitPrice × quantity' })
  lineTotal: number;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    minimum: 0,
    description:
      'Units in stock now (a line whose quantity exceeds it cannot be delivered in full); null when the catalog part degraded or no longer lists the product',
  })
  availableStock: number | null;
}

/** CONTRACTS.md §3 WebBasket: the whole priced basket, so the page re-renders from one answer. */
export class WebBasket {
  @ApiProperty({ description: 'The token’s subject' })
  buyerId: string;

  @ApiProperty({ type: [WebBasketLine] })
  items: WebBasketLine[];

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Sum of the lines’ quantities' })
  itemCount: number;

  @ApiProperty({ description: 'Sum of unitPrice × quantity' })
  total: number;

  @ApiDegraded(['catalog'])
  degraded: string[];
}

export function toWebBasket(b: PricedBasket): WebBasket {
  return {
    buyerId: b.buyerId,
    items: b.lines.map((l) => ({
      id: l.line.id,
      productId: l.line.productId,
      productName: l.line.productName,
      unitPrice: l.unitPrice,
      oldUnitPrice: l.oldUnitPrice,
      priceChanged: l.priceChanged,
      quantity: l.line.quantity,
      pictureUri: pictureLink(l.line.productId),
      lineTotal: l.lineTotal,
      availableStock: l.availableStock,
    })),
    itemCount: b.itemCount,
    total: b.total,
    degraded: b.degraded,
  };
}
