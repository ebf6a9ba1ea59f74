import { ApiProperty } from '@nestjs/swagger';
import { OrderSummary } from '@app/storefront';

/** GET /api/orders: a cursor page of the caller's orders, newest first. */
export class MobileOrderPage {
  @ApiProperty({ type: [OrderSummary] })
  items: OrderSummary[];

  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
}
