import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { createMobileBff } from '../apps/mobile-bff/src/mobile-bff.app';
import { bffEnv, sleep, startBff, startContractDouble, TestIdentity, type TestServer } from '@app/testing';

/**
 * Whole anonymous answers are replayed while every read they were built from is still in the
 * response cache: no controller, no downstream call — but the rate limiter, request ids, ETags and
 * cache metrics behave as for any request, and personal, degraded or uncached answers never replay.
 */
describe('answer cache', () => {
  let identity: TestIdentity;
  let double: TestServer;
  let brandsFail = false;
  let env: Record<string, string>;
  const callsSince = (from: number) => double.requests.length - from;
  const replays = async (url: string) => {
    const text = await (await fetch(`${url}/metrics`)).text();
    return [...text.matchAll(/^answer_cache_replays_total\{[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
  };

  beforeAll(async () => {
    identity = await TestIdentity.start();
    double = await startContractDouble({
      fault: (path, res) => {
        if (!brandsFail || path !== '/api/v1/catalog/catalogbrands') return false;
        res.writeHead(500).end();
        return true;
      },
    });
    env = bffEnv(identity, double.url, { STALE_IF_ERROR_MS: '0' });
  });
  afterAll(async () => {
    await double?.close();
    await identity?.close();
  });

  it('replays an anonymous answer without downstream calls, each replay with its own id, rate count and ETag check', async () => {
    const bff = await startBff('web-bff', createWebBff, { ...env, CACHE_TTL_MS: '1500', CORS_ORIGINS: 'https://shop.example' });
    try {
      const first = await fetch(`${bff.url}/api/home?pageIndex=1&pageSize=4`);
      const body = await first.text();
      expect(first.status).toBe(200);
      const before = double.requests.length;
      const second = await fetch(`${bff.url}/api/home?pageIndex=1&pageSize=4`);
      expect(second.status).toBe(200);
      expect(await second.text()).toBe(body);
      expect(callsSince(before)).toBe(0);
      expect(second.headers.get('content-type')).toMatch(/^application\/json/);
      expect(second.headers.get('cache-control')).toBe(first.headers.get('cache-control'));
      expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
      expect(second.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Number(second.headers.get('ratelimit-remaining'))).toBe(Number(first.headers.get('ratelimit-remaining')) - 1);
      // A replay for a browser on an allowed origin gets its CORS headers and the same Vary as any answer.
      const cors = await fetch(`${bff.url}/api/home?pageIndex=1&pageSize=4`, { headers: { origin: 'https://shop.example' } });
      expect(cors.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      expect(cors.headers.get('vary')).toMatch(/Authorization/);
      expect(second.headers.get('vary')).toBe(first.headers.get('vary'));
      const revalidated = await fetch(`${bff.url}/api/home?pageIndex=1&pageSize=4`, {
        headers: { 'if-none-match': first.headers.get('etag')! },
      });
      expect(revalidated.status).toBe(304);
      expect(callsSince(before)).toBe(0);
      const metrics = await (await fetch(`${bff.url}/metrics`)).text();
      // Three replays (the plain one, the CORS one, the 304), each counting its reads as cache hits:
      // nothing else has hit the cache yet (the first answer's reads were misses).
      expect(metrics).toMatch(/answer_cache_replays_total\{[^}]*route="\/api\/home"[^}]*\} 3\n/);
      const hits = Number(/response_cache_lookups_total\{[^}]*service="catalog",result="hit"[^}]*\} (\d+)/.exec(metrics)?.[1] ?? 0);
      expect(hits).toBeGreaterThanOrEqual(3);
      expect(hits % 3).toBe(0);
      // Another query is another answer.
      await fetch(`${bff.url}/api/home?pageIndex=2&pageSize=4`);
      expect(callsSince(before)).toBeGreaterThan(0);
    } finally {
      await bff.close();
    }
  });

  it('never replays past the expiry of the reads it was built from', async () => {
    const bff = await startBff('mobile-bff', createMobileBff, { ...env, CACHE_TTL_MS: '1000' });
    try {
      await fetch(`${bff.url}/api/products/7`);
      const before = double.requests.length;
      await fetch(`${bff.url}/api/products/7`);
      expect(callsSince(before)).toBe(0);
      expect(await replays(bff.url)).toBe(1);
      await sleep(1100);
      await fetch(`${bff.url}/api/products/7`);
      expect(callsSince(before)).toBeGreaterThan(0);
      expect(await replays(bff.url)).toBe(1);
    } finally {
      await bff.close();
    }
  });

  it('never replays signed-in, degraded or uncached answers', async () => {
    const bff = await startBff('web-bff', createWebBff, { ...env, CACHE_TTL_MS: '5000' });
    const off = await startBff('web-bff', createWebBff, { ...env, CACHE_TTL_MS: '0' });
    try {
      // First, while nothing is cached yet (a cached brand list would hide the failure).
      brandsFail = true;
      const degraded = (await (await fetch(`${bff.url}/api/home?pageIndex=3&pageSize=2`)).json()) as { degraded: string[] };
      expect(degraded.degraded.length).toBeGreaterThan(0);
      brandsFail = false;
      let before = double.requests.length;
      const healed = (await (await fetch(`${bff.url}/api/home?pageIndex=3&pageSize=2`)).json()) as { degraded: string[] };
      expect(healed.degraded).toEqual([]);
      expect(callsSince(before)).toBeGreaterThan(0);

      const token = await identity.token({ sub: 'answer-cache-alice' });
      const basketCalls = (from: number) => double.requests.slice(from).filter((r) => r.url.startsWith('/api/v1/basket/')).length;
      before = double.requests.length;
      for (let i = 0; i < 2; i++)
        expect((await fetch(`${bff.url}/api/home`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      expect(basketCalls(before)).toBe(2);
      // The signed-in answers were not kept: an anonymous caller of the same URL gets its own, built fresh.
      const anon = (await (await fetch(`${bff.url}/api/home`)).json()) as { basket: unknown };
      expect(anon.basket).toBeNull();
      expect(await replays(bff.url)).toBe(0);

      // CACHE_TTL_MS=0 turns the answer cache off with the response cache.
      await fetch(`${off.url}/api/home`);
      before = double.requests.length;
      await fetch(`${off.url}/api/home`);
      expect(callsSince(before)).toBeGreaterThan(0);
      expect(await replays(bff.url)).toBe(0);
      expect(await replays(off.url)).toBe(0);
    } finally {
      brandsFail = false;
      await bff.close();
      await off.close();
    }
  });

  it('counts replays against the rate limit: past the budget a replay is a 429 problem', async () => {
    const bff = await startBff('web-bff', createWebBff, { ...env, CACHE_TTL_MS: '5000', RATE_LIMIT_MAX: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${bff.url}/api/products/9`)).status);
      const refused = await fetch(`${bff.url}/api/products/9`);
      expect(statuses).toEqual([200, 200, 200]);
      expect(await replays(bff.url)).toBe(2);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await bff.close();
    }
  });
});
