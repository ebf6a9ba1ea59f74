import { ApiProperty } from '@nestjs/swagger';
import { OrderSummary } from '@app/storefront';

export class WebOrderLine {
  @ApiProperty({ type: 'integer', minimum: 1 })
  productId: number;

  @ApiProperty()
  productName: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  units: number;

  @ApiProperty()
  unitPrice: number;

  @ApiProperty({ description: 'The BFF’s picture route for the product', example: '/api/products/1/picture' })
  pictureUri: string;
}

/** GET /api/orders/{orderNumber}: the ordering service's Order, picture links pointing at the BFF. */
export class WebOrder extends OrderSummary {
  @ApiProperty({ type: 'string', nullable: true })
  description: string | null;

  @ApiProperty()
  street: string;

  @ApiProperty()
  city: string;

  @ApiProperty()
  state: string;

  @ApiProperty()
  zipCode: string;

  @ApiProperty()
  country: string;

  @ApiProperty({ type: [WebOrderLine] })
  orderItems: WebOrderLine[];
}

/** GET /api/orders. */
export class WebOrderList {
  @ApiProperty({ type: [OrderSummary] })
  orders: OrderSummary[];
}

/** 200 of POST /api/orders/{orderNumber}/cancel. */
export class CancelledOrder {
  @ApiProperty({ type: 'integer', minimum: 1 })
  orderNumber: number;

  @ApiProperty({ enum: ['cancelled'] })
  status: 'cancelled';
}
