import type { Redis } from 'ioredis';
import type { CustomerBasket } from '@app/contracts';
import { storeCommand } from '../redis/redis-connection';
import type { BasketStore } from './basket.store';

/**
 * Baskets shared by every replica: one JSON string per buyer under `{keyPrefix}basket:{buyerId}`,
 * without expiry (like eShopOnContainers' Redis basket repository).
 */
export class RedisBasketStore implements BasketStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix = '',
  ) {}

  async get(buyerId: string): Promise<CustomerBasket | undefined> {
    const json = await storeCommand(this.redis.get(this.key(buyerId)));
    return json === null ? undefined : (JSON.parse(json) as CustomerBasket);
  }

  async save(basket: CustomerBasket): Promise<CustomerBasket> {
    const json = JSON.stringify(basket);
    await storeCommand(this.redis.set(this.key(basket.buyerId), json));
    return JSON.parse(json) as CustomerBasket;
  }

  async delete(buyerId: string): Promise<void> {
    await storeCommand(this.redis.del(this.key(buyerId)));
  }

  private key(buyerId: string): string {
    return `${this.keyPrefix}basket:${buyerId}`;
  }
}
