import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { createMobileBff } from '../apps/mobile-bff/src/mobile-bff.app';
import { bffEnv, sleep, startBff, startContractDouble, TestIdentity, type TestServer } from '@app/testing';

const REDIS_URL = 'redis://127.0.0.1:6379';

/** Shared reads are cached and coalesced; personal data never is; Redis shares the cache between replicas. */
describe('response cache', () => {
  let identity: TestIdentity;
  let double: TestServer;
  let env: Record<string, string>;
  const catalogCalls = (from: number, path: string) => double.requests.slice(from).filter((r) => r.url.startsWith(path)).length;

  beforeAll(async () => {
    identity = await TestIdentity.start();
    double = await startContractDouble({ delayMs: 50 });
    env = bffEnv(identity, double.url);
  });
  afterAll(async () => {
    await double?.close();
    await identity?.close();
  });

  it('coalesces concurrent identical reads into one call, serves hits until the TTL, then asks again', async () => {
    const bff = await startBff('web-bff', createWebBff, { ...env, CACHE_TTL_MS: '400' });
    try {
      const before = double.requests.length;
      const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${bff.url}/api/products/3`)));
      expect(answers.every((r) => r.status === 200)).toBe(true);
      expect(catalogCalls(before, '/api/v1/catalog/items/3')).toBe(1);
      await fetch(`${bff.url}/api/products/3`);
      expect(catalogCalls(before, '/api/v1/catalog/items/3')).toBe(1);
      await sleep(450);
      await fetch(`${bff.url}/api/products/3`);
      expect(catalogCalls(before, '/api/v1/catalog/items/3')).toBe(2);
      const metrics = await (await fetch(`${bff.url}/metrics`)).text();
      expect(metrics).toMatch(/response_cache_lookups_total\{[^}]*service="catalog",result="hit"[^}]*\} [1-9]/);
      expect(metrics).toMatch(/response_cache_lookups_total\{[^}]*service="catalog",result="miss"[^}]*\} [1-9]/);
    } finally {
      await bff.close();
    }
  });

  it('never caches per-user data, and marks answers public or private', async () => {
    const bff = await startBff('web-bff', createWebBff, { ...env, CACHE_TTL_MS: '5000' });
    try {
      const alice = await identity.token({ sub: 'cache-alice' });
      const bob = await identity.token({ sub: 'cache-bob' });
      const before = double.requests.length;
      const a = await fetch(`${bff.url}/api/basket`, { headers: { authorization: `Bearer ${alice}` } });
      const b = await fetch(`${bff.url}/api/basket`, { headers: { authorization: `Bearer ${bob}` } });
      expect(((await a.json()) as any).buyerId).toBe('cache-alice');
      expect(((await b.json()) as any).buyerId).toBe('cache-bob');
      expect(catalogCalls(before, '/api/v1/basket/')).toBe(2);
      expect(a.headers.get('cache-control')).toBe('private, no-cache');
      const anon = await fetch(`${bff.url}/api/home`);
      expect(anon.headers.get('cache-control')).toBe('public, max-age=5');
      expect(anon.headers.get('vary')).toMatch(/Authorization/);
    } finally {
      await bff.close();
    }
  });

  it('shares the cache between replicas through Redis', async () => {
    const prefix = randomUUID();
    // Two BFFs with the same app name share keys; a unique catalog path keeps runs apart.
    const one = await startBff('mobile-bff', createMobileBff, { ...env, CACHE_TTL_MS: '5000', REDIS_URL });
    const two = await startBff('mobile-bff', createMobileBff, { ...env, CACHE_TTL_MS: '5000', REDIS_URL });
    const redis = new Redis(REDIS_URL);
    try {
      const path = `/api/products?limit=7&q=${encodeURIComponent(`Item ${prefix.slice(0, 4)}`)}`;
      const before = double.requests.length;
      expect((await fetch(`${one.url}${path}`)).status).toBe(200);
      await sleep(50); // the write to Redis is not awaited by the request
      expect((await fetch(`${two.url}${path}`)).status).toBe(200);
      expect(catalogCalls(before, '/api/v1/catalog/items/withname/')).toBe(1);
      const keys = await redis.keys('mobile-bff:cache:*withname*');
      expect(keys.length).toBeGreaterThan(0);
      await redis.del(...keys);
    } finally {
      redis.disconnect();
      await one.close();
      await two.close();
    }
  });

  it('keeps serving when Redis is unreachable (a miss, not an error)', async () => {
    const bff = await startBff('web-bff', createWebBff, { ...env, CACHE_TTL_MS: '5000', REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const r = await fetch(`${bff.url}/api/products/4`);
      expect(r.status).toBe(200);
    } finally {
      await bff.close();
    }
  });
});
