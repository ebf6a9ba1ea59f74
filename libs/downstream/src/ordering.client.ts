import type { HttpTransport } from './http-transport';
import type { BasketItem } from '@app/contracts';
import {
  isCardTypes,
  isOrder,
  isOrderDraft,
  isOrderSummaries,
  type CardType,
  type Order,
  type OrderDraft,
  type OrderSummary,
} from '@app/contracts';

const BASE = '/api/v1/orders';

export type CancelOutcome = 'cancelled' | 'not-cancellable' | 'not-found';

/** Typed port to the ordering service. Relays the caller's bearer token. */
export class OrderingClient {
  constructor(private readonly transport: HttpTransport) {}

  async list(): Promise<OrderSummary[]> {
    return (await this.transport.call({ method: 'GET', path: BASE, relayAuth: true, expect: isOrderSummaries })).body!;
  }

  /** The caller's order, or null (the service answers 404 for other users' orders too). */
  async get(orderNumber: number): Promise<Order | null> {
    const res = await this.transport.call({
      method: 'GET',
      path: `${BASE}/${orderNumber}`,
      relayAuth: true,
      expect: isOrder,
      allow: [404],
    });
    return res.status === 404 ? null : res.body!;
  }

  async cancel(orderNumber: number, requestId: string): Promise<CancelOutcome> {
    const res = await this.transport.call({
      method: 'PUT',
      path: `${BASE}/cancel`,
      body: { orderNumber },
      relayAuth: true,
      headers: { 'x-requestid': requestId },
      allow: [400, 404],
    });
    return res.status === 400 ? 'not-cancellable' : res.status === 404 ? 'not-found' : 'cancelled';
  }

  async cardTypes(): Promise<CardType[]> {
    return (await this.transport.call({ method: 'GET', path: `${BASE}/cardtypes`, relayAuth: true, expect: isCardTypes })).body!;
  }

  async draft(buyerId: string, items: BasketItem[]): Promise<OrderDraft> {
    return (
      await this.transport.call({
        method: 'POST',
        path: `${BASE}/draft`,
        body: { buyerId, items },
        relayAuth: true,
        expect: isOrderDraft,
      })
    ).body!;
  }
}
