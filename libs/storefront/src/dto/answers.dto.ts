import { ApiProperty } from '@nestjs/swagger';
import { ORDER_STATUSES } from '@app/downstream';

/** `basketQuantity` of a product page, the same on both BFFs. */
export const ApiBasketQuantity = (): PropertyDecorator =>
  ApiProperty({
    type: 'integer',
    nullable: true,
    minimum: 0,
    description: 'How many the caller’s basket holds; null when anonymous or when the basket part degraded',
  });

/** Count and total of the caller's basket (home pages). */
export class BasketSummary {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Sum of the lines’ quantities' })
  itemCount: number;

  @ApiProperty({ description: 'Sum of unit price × quantity' })
  total: number;
}

export class CheckoutDraftLine {
  @ApiProperty({ type: 'integer', minimum: 1 })
  productId: number;

  @ApiProperty()
  productName: string;

  @ApiProperty({ description: 'The catalog’s current price, as GET /api/basket shows it' })
  unitPrice: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  units: number;

  @ApiProperty({ example: '/api/products/1/picture' })
  pictureUri: string;
}

/** GET /api/checkout/draft: the order as it would be placed now, at the catalog's current prices. */
export class CheckoutDraft {
  @ApiProperty({ type: [CheckoutDraftLine] })
  items: CheckoutDraftLine[];

  @ApiProperty({ description: 'What the order will cost; the same figure GET /api/basket shows as total' })
  total: number;
}

/** 202 of POST /api/checkout. */
export class CheckoutAccepted {
  @ApiProperty({ format: 'uuid', description: 'The Idempotency-Key of the request (lower case): the order’s request id' })
  requestId: string;
}

/** One order of the caller's history. */
export class OrderSummary {
  @ApiProperty({ type: 'integer', minimum: 1 })
  orderNumber: number;

  @ApiProperty({ format: 'date-time' })
  date: string;

  @ApiProperty({ enum: ORDER_STATUSES })
  status: string;

  @ApiProperty()
  total: number;
}
