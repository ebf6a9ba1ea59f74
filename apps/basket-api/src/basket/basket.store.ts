import type { CustomerBasket } from '@app/contracts';

/**
 * Where baskets live: in memory (below), or in Redis when REDIS_URL is set (redis-basket.store.ts),
 * chosen by createBasketStores() in basket.module.ts. Async so that a networked store fits unchanged.
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
