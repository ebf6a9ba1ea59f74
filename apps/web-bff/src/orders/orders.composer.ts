import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { aggregate, required } from '@app/aggregate';
import { RequestContextStore } from '@app/context';
import { OrderingClient } from '@app/downstream';
import { pictureLink } from '@app/storefront';
import type { CancelledOrder, WebOrder, WebOrderList } from './web-order';

@Injectable()
export class OrdersComposer {
  constructor(private readonly ordering: OrderingClient) {}

  async list(): Promise<WebOrderList> {
    const { values } = await aggregate({ orders: required(() => this.ordering.list()) });
    return {
      orders: values.orders.map((o) => ({ orderNumber: o.orderNumber, date: o.date, status: o.status, total: o.total })),
    };
  }

  /** The caller's order with picture links pointing at the BFF; 404 also when it is someone else's. */
  async one(orderNumber: number): Promise<WebOrder> {
    const { values } = await aggregate({ order: required(() => this.ordering.get(orderNumber)) });
    const order = values.order;
    if (!order) throw new NotFoundException({ detail: `You have no order ${orderNumber}` });
    // Only the documented fields: whatever else a downstream adds is not part of the public API.
    return {
      orderNumber: order.orderNumber,
      date: order.date,
      status: order.status,
      description: order.description ?? null,
      street: order.street,
      city: order.city,
      state: order.state,
      zipCode: order.zipCode,
      country: order.country,
      orderItems: order.orderItems.map((i) => ({
        productId: i.productId,
        productName: i.productName,
        units: i.units,
        unitPrice: i.unitPrice,
        pictureUri: pictureLink(i.productId),
      })),
      total: order.total,
    };
  }

  async cancel(orderNumber: number): Promise<CancelledOrder> {
    // The request id doubles as the downstream idempotency key: a retried cancel is one cancel.
    const requestId = RequestContextStore.require().requestId;
    const { values } = await aggregate({ outcome: required(() => this.ordering.cancel(orderNumber, requestId)) });
    if (values.outcome === 'not-found') throw new NotFoundException({ detail: `You have no order ${orderNumber}` });
    if (values.outcome === 'not-cancellable') {
      throw new ConflictException({ detail: `Order ${orderNumber} can no longer be cancelled` });
    }
    return { orderNumber, status: 'cancelled' };
  }
}
