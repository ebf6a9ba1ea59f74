import type { CustomerBasket } from '@app/downstream';

/**
 * Where baskets live. Async so that a networked store can implement it unchanged.
 *
 * TODO(redis): add a RedisBasketStore (and a Redis CheckoutLedger, see checkout-ledger.ts)
 * selected when REDIS_URL is set, so several basket-api replicas share state. It is not here
 * because no Redis client (ioredis) is installed in this repository; see createBasketStores()
 * in basket.module.ts for the seam.
 */
export interface BasketStore {
  get(buyerId: string): Promise<CustomerBasket | undefined>;
  /** Replaces the buyer's basket; answers what was stored. */
  save(basket: CustomerBasket): Promise<CustomerBasket>;
  delete(buyerId: string): Promise<void>;
}

export const BASKET_STORE = Symbol('BASKET_STORE');

/** The default store: one process, lost on restart. Copies in and out so callers cannot mutate it. */
export class InMemoryBasketStore implements BasketStore {
  private readonly baskets = new Map<string, CustomerBasket>();

  async get(buyerId: string): Promise<CustomerBasket | undefined> {
    const basket = this.baskets.get(buyerId);
    return basket && structuredClone(basket);
  }

  async save(basket: CustomerBasket): Promise<CustomerBasket> {
    this.baskets.set(basket.buyerId, structuredClone(basket));
    return structuredClone(basket);
  }

  async delete(buyerId: string): Promise<void> {
    this.baskets.delete(buyerId);
  }
}
