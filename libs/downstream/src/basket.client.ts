import type { HttpTransport } from './http-transport';
import { isCustomerBasket, type BasketCheckout, type CustomerBasket } from '@app/contracts';

const BASE = '/api/v1/basket';

/** Typed port to the basket service. Relays the caller's bearer token; the buyer id is always the token's sub. */
export class BasketClient {
  constructor(private readonly transport: HttpTransport) {}

  async get(buyerId: string): Promise<CustomerBasket> {
    const path = `${BASE}/${encodeURIComponent(buyerId)}`;
    return (await this.transport.call({ method: 'GET', path, relayAuth: true, expect: isCustomerBasket })).body!;
  }

  /** Replaces the buyer's basket and returns what the service stored. */
  async replace(basket: CustomerBasket): Promise<CustomerBasket> {
    return (await this.transport.call({ method: 'POST', path: BASE, body: basket, relayAuth: true, expect: isCustomerBasket })).body!;
  }

  /**
   * Starts checkout; `requestId` is the idempotency key the basket service dedupes on. Answers
   * `refused` when the service turns it down as a client error (400/422: e.g. an empty basket
   * under a key it has not seen), `accepted` on 2xx (also for a key it has seen: the same order).
   */
  async checkout(checkout: BasketCheckout, requestId: string): Promise<'accepted' | 'refused'> {
    const res = await this.transport.call({
      method: 'POST',
      path: `${BASE}/checkout`,
      body: checkout,
      relayAuth: true,
      headers: { 'x-requestid': requestId },
      allow: [400, 422],
    });
    return res.status === 400 || res.status === 422 ? 'refused' : 'accepted';
  }

  async delete(buyerId: string): Promise<void> {
    await this.transport.call({ method: 'DELETE', path: `${BASE}/${encodeURIComponent(buyerId)}`, relayAuth: true });
  }
}
