import { createHash } from 'node:crypto';
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

  /** Cancels; `requestId` (any request id) is relayed as the UUID `x-requestid` the contract asks for, the same one for the same id. */
  async cancel(orderNumber: number, requestId: string): Promise<CancelOutcome> {
    const res = await this.transport.call({
      method: 'PUT',
      path: `${BASE}/cancel`,
      body: { orderNumber },
      relayAuth: true,
      headers: { 'x-requestid': asUuid(requestId) },
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** The id itself when it is a UUID, else a name-based UUID (v5 layout, SHA-1) of it: stable, so a retried cancel is one cancel. */
export function asUuid(id: string): string {
  if (UUID.test(id)) return id.toLowerCase();
  const h = createHash('sha1').update('x-requestid:').update(id).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
