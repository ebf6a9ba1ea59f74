import { Injectable } from '@nestjs/common';
import { aggregate, required } from '@app/aggregate';
import { OrderingClient } from '@app/downstream';
import { currentBuyerId } from '@app/platform';
import { CursorCodec } from '@app/storefront';
import type { MobileOrderPage } from './mobile-orders';

/**
 * The order history, newest first, cursor-paged in the BFF (the ordering service answers the whole
 * list). The cursor is bound to the buyer, so it cannot be replayed by someone else.
 */
@Injectable()
export class OrdersComposer {
  constructor(
    private readonly ordering: OrderingClient,
    private readonly cursors: CursorCodec,
  ) {}

  async list(cursor: string | undefined, limit = 20): Promise<MobileOrderPage> {
    const scope = currentBuyerId();
    const offset = this.cursors.decode(cursor, 'orders', scope);
    const { values } = await aggregate({ orders: required(() => this.ordering.list()) });
    const sorted = [...values.orders].sort((a, b) => b.orderNumber - a.orderNumber);
    const items = sorted
      .slice(offset, offset + limit)
      .map((o) => ({ orderNumber: o.orderNumber, date: o.date, status: o.status, total: o.total }));
    const next = offset + items.length;
    return { items, nextCursor: items.length > 0 && next < sorted.length ? this.cursors.encode('orders', scope, next) : null };
  }
}
