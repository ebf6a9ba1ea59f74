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
    return (
      await this.transport.call({ method: 'POST', path: BASE, body: basket, relayAuth: true, expect: isCustomerBasket })
    ).body!;
  }

  /** Starts checkout; `requestId` is the idempotency key the basket service dedupes on. */
  async checkout(checkout: BasketCheckout, requestId: string): Promise<void> {
    await this.transport.call({
      method: 'POST',
      path: `${BASE}/checkout`,
      body: checkout,
      relayAuth: true,
      headers: { 'x-requestid': requestId },
    });
  }

  async delete(buyerId: string): Promise<void> {
    await this.transport.call({ method: 'DELETE', path: `${BASE}/${encodeURIComponent(buyerId)}`, relayAuth: true });
  }
}
