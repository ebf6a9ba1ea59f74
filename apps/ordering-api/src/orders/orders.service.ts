import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { CANCELLABLE_STATUSES, type Order, type OrderDraft, type OrderItem, type OrderSummary } from './order.model';
import type { BasketCheckoutDto, BasketItemDto } from '@app/sample-kit';

interface StoredOrder {
  buyerId: string;
  order: Order;
}

/** Money is summed in cents so totals do not pick up floating-point noise (0.1 + 0.2). */
const money = (value: number): number => Math.round(value * 100) / 100;

/**
 * In-memory orders. Every method is synchronous, so two concurrent requests with the same
 * idempotency key cannot both pass the "seen before?" check: one order per key, always.
 */
@Injectable()
export class OrdersService {
  private nextOrderNumber = 1;
  private readonly orders = new Map<number, StoredOrder>();
  /** `${buyerId}\n${requestId}` → orderNumber; scoped per buyer so one user cannot probe another's keys. */
  private readonly byRequestId = new Map<string, number>();
  /** Cancel/ship x-requestid already applied, so a retried request answers 200 again. */
  private readonly appliedCommands = new Map<string, number>();

  list(buyerId: string): OrderSummary[] {
    const summaries: OrderSummary[] = [];
    for (const { buyerId: owner, order } of this.orders.values()) {
      if (owner === buyerId) summaries.push({ orderNumber: order.orderNumber, date: order.date, status: order.status, total: order.total });
    }
    return summaries; // Map keeps insertion order: ascending orderNumber, as eShop answers.
  }

  /** The buyer's order; another buyer's order is indistinguishable from a missing one. */
  get(buyerId: string, orderNumber: number): Order {
    return structuredClone(this.owned(buyerId, orderNumber).order);
  }

  /** Creates the order for a checkout once per (buyer, requestId); `created` is false on a replay. */
  createFromCheckout(
    buyerId: string,
    requestId: string,
    checkout: BasketCheckoutDto,
    items: BasketItemDto[],
  ): { order: Order; created: boolean } {
    const key = `${buyerId}\n${requestId}`;
    const existing = this.byRequestId.get(key);
    if (existing !== undefined) return { order: this.get(buyerId, existing), created: false };

    const orderItems = toOrderItems(items);
    const order: Order = {
      orderNumber: this.nextOrderNumber++,
      date: new Date().toISOString(),
      status: 'submitted',
      description: 'The order was submitted.',
      street: checkout.street,
      city: checkout.city,
      state: checkout.state,
      zipCode: checkout.zipCode,
      country: checkout.country,
      orderItems,
      total: totalOf(orderItems),
    };
    // Card data is deliberately not kept: this sample has no payment step that would need it.
    this.orders.set(order.orderNumber, { buyerId, order });
    this.byRequestId.set(key, order.orderNumber);
    return { order: structuredClone(order), created: true };
  }

  cancel(buyerId: string, orderNumber: number, requestId: string): Order {
    return this.transition(buyerId, orderNumber, requestId, 'cancel', (order) => {
      if (!CANCELLABLE_STATUSES.includes(order.status)) {
        throw new BadRequestException(`Order ${orderNumber} is ${order.status} and can no longer be cancelled`);
      }
      order.status = 'cancelled';
      order.description = 'The order was cancelled by the buyer.';
    });
  }

  /**
   * Sample shortcut (eShop's PUT /orders/ship): moves a live order straight to `shipped`, so
   * clients can exercise the "can no longer be cancelled" path without a payment saga.
   */
  ship(buyerId: string, orderNumber: number, requestId: string): Order {
    return this.transition(buyerId, orderNumber, requestId, 'ship', (order) => {
      if (order.status === 'cancelled' || order.status === 'shipped') {
        throw new BadRequestException(`Order ${orderNumber} is ${order.status} and cannot be shipped`);
      }
      order.status = 'shipped';
      order.description = 'The order was shipped.';
    });
  }

  draft(items: BasketItemDto[]): OrderDraft {
    const orderItems = toOrderItems(items).map((item) => ({
      productId: item.productId,
      productName: item.productName,
      unitPrice: item.unitPrice,
      discount: 0,
      units: item.units,
      pictureUrl: item.pictureUrl,
    }));
    return { orderItems, total: totalOf(orderItems) };
  }

  private transition(buyerId: string, orderNumber: number, requestId: string, command: string, apply: (order: Order) => void): Order {
    const stored = this.owned(buyerId, orderNumber);
    const key = `${buyerId}\n${command}\n${requestId}`;
    if (this.appliedCommands.get(key) !== orderNumber) {
      apply(stored.order);
      this.appliedCommands.set(key, orderNumber);
    }
    return structuredClone(stored.order);
  }

  private owned(buyerId: string, orderNumber: number): StoredOrder {
    const stored = this.orders.get(orderNumber);
    if (!stored || stored.buyerId !== buyerId) throw new NotFoundException(`Order ${orderNumber} does not exist`);
    return stored;
  }
}

/** eShop's AddOrderItem: lines for the same product are merged, keeping the first line's price. */
function toOrderItems(items: BasketItemDto[]): OrderItem[] {
  const byProduct = new Map<number, OrderItem>();
  for (const item of items) {
    const line = byProduct.get(item.productId);
    if (line) line.units += item.quantity;
    else {
      byProduct.set(item.productId, {
        productId: item.productId,
        productName: item.productName,
        units: item.quantity,
        unitPrice: item.unitPrice,
        pictureUrl: item.pictureUrl,
      });
    }
  }
  return [...byProduct.values()];
}

function totalOf(items: ReadonlyArray<{ units: number; unitPrice: number }>): number {
  return money(items.reduce((cents, item) => cents + Math.round(item.unitPrice * 100) * item.units, 0) / 100);
}
