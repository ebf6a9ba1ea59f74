import { Logger, ServiceUnavailableException } from '@nestjs/common';
import { Redis } from 'ioredis';
import { basketItem as item } from '@app/sample-kit/testing';
import { closeRedis, connectRedis } from '../redis/redis-connection';
import { openRedisTestNamespace, unreachableUrl, type RedisTestNamespace } from '../testing';
import { InMemoryBasketStore, type BasketStore } from './basket.store';
import { RedisBasketStore } from './redis-basket.store';

// The real Redis, in a namespace of this run's own, emptied afterwards.
let ns: RedisTestNamespace;
beforeAll(() => (ns = openRedisTestNamespace()));
afterAll(() => ns.close());

// The same contract for every store.
describe.each([
  ['InMemoryBasketStore', () => new InMemoryBasketStore()],
  ['RedisBasketStore', () => new RedisBasketStore(ns.redis, ns.keyPrefix)],
])('%s', (_name, create: () => BasketStore) => {
  let store: BasketStore;
  beforeAll(() => (store = create()));

  it('has no basket for an unknown buyer', async () => {
    expect(await store.get('nobody')).toBeUndefined();
  });

  it('answers what it stored, and replaces a basket on save', async () => {
    const basket = { buyerId: 'alice', items: [item(1, 2, 19.5), item(2, 1, 8.25)] };
    expect(await store.save(basket)).toEqual(basket);
    expect(await store.get('alice')).toEqual(basket);

    const replaced = { buyerId: 'alice', items: [item(3, 1, 12)] };
    await store.save(replaced);
    expect(await store.get('alice')).toEqual(replaced);
    expect(await store.get('bob')).toBeUndefined();
  });

  it('is not changed through the objects it was given or answered', async () => {
    const basket = { buyerId: 'carol', items: [item(1, 1, 10)] };
    const saved = await store.save(basket);
    basket.items[0].quantity = 5;
    saved.items.push(item(2, 1, 1));
    (await store.get('carol'))!.items.length = 0;
    expect((await store.get('carol'))!.items).toEqual([expect.objectContaining({ productId: 1, quantity: 1 })]);
  });

  it('deletes a basket, and deleting none is fine', async () => {
    await store.save({ buyerId: 'dave', items: [item(4, 1, 3)] });
    await store.delete('dave');
    expect(await store.get('dave')).toBeUndefined();
    await expect(store.delete('dave')).resolves.toBeUndefined();
  });
});

describe('RedisBasketStore across replicas', () => {
  it('keeps one JSON value under {prefix}basket:{buyerId}, seen through every connection', async () => {
    const other = new Redis(ns.redis.options);
    try {
      const basket = { buyerId: 'erin', items: [item(7, 3, 4.5)] };
      await new RedisBasketStore(ns.redis, ns.keyPrefix).save(basket);
      expect(await ns.keys()).toContain(`${ns.keyPrefix}basket:erin`);
      expect(JSON.parse((await ns.redis.get(`${ns.keyPrefix}basket:erin`))!)).toEqual(basket);
      expect(await new RedisBasketStore(other, ns.keyPrefix).get('erin')).toEqual(basket);
      expect(await new RedisBasketStore(other, `${ns.keyPrefix}elsewhere:`).get('erin')).toBeUndefined();
    } finally {
      await other.quit();
    }
  });

  it('fails fast with 503 when Redis cannot be reached', async () => {
    const redis = connectRedis(await unreachableUrl('redis'));
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const started = Date.now();
      await expect(new RedisBasketStore(redis).get('frank')).rejects.toBeInstanceOf(ServiceUnavailableException);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('Redis is unavailable'));
    } finally {
      await closeRedis(redis);
      warn.mockRestore();
    }
  });
});
