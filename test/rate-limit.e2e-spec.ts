import { randomUUID } from 'node:crypto';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Logger, Module, type DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import type { BffConfig, BffName } from '@app/config';
import { createBffApp } from '@app/platform';
import {
  CHECKOUT_RATE_LIMIT,
  RATE_LIMIT_CLASS,
  RateLimitClass,
  RateLimitCounters,
  RateLimitGuard,
  RateLimitModule,
} from '@app/platform/rate-limit';
import { CheckoutController } from '@app/storefront';
import { fetchJson, startBff, startBffRig, TestIdentity, type BffRig, type RunningApp, type TestServer } from '@app/testing';
import { createMobileBff } from '../apps/mobile-bff/src/mobile-bff.app';
import { MobileBffModule } from '../apps/mobile-bff/src/mobile-bff.module';
import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { WebBffModule } from '../apps/web-bff/src/web-bff.module';

/** The Redis the suites run against (CI starts one there). */
const TEST_REDIS_URL = 'redis://127.0.0.1:6379';
/** In every sub this suite signs, so its Redis keys are its own and can be cleaned up. */
const RUN = `rl-test-${randomUUID()}`;

@Module({})
class RateLimitedBff {}

/** Whether a module (or anything it imports) imports RateLimitModule. */
function importsRateLimit(mod: unknown, seen = new Set<unknown>()): boolean {
  if (!mod || seen.has(mod)) return false;
  seen.add(mod);
  const dynamic = typeof mod === 'object' && 'module' in mod ? (mod as DynamicModule) : undefined;
  const cls = dynamic ? dynamic.module : mod;
  if (cls === RateLimitModule) return true;
  const imports: unknown[] = [...(Reflect.getMetadata('imports', cls as object) ?? []), ...(dynamic?.imports ?? [])];
  return imports.some((m) => importsRateLimit(m, seen));
}

/**
 * The BFF as it runs. Until RateLimitModule and RATE_LIMIT_GUARD are wired into BffPlatformModule
 * (and checkout carries `@RateLimitClass('checkout')`), the app is composed here the same way;
 * once wired, the plain createWebBff/createMobileBff is used.
 */
async function createRateLimitedBff(name: BffName, config: BffConfig): Promise<NestFastifyApplication> {
  const feature: DynamicModule = name === 'web-bff' ? WebBffModule.forRoot(config) : MobileBffModule.forRoot(config);
  if (importsRateLimit(feature)) return name === 'web-bff' ? createWebBff(config) : createMobileBff(config);
  if (!Reflect.getMetadata(RATE_LIMIT_CLASS, CheckoutController.prototype.place)) {
    const descriptor = Object.getOwnPropertyDescriptor(CheckoutController.prototype, 'place')!;
    RateLimitClass(CHECKOUT_RATE_LIMIT)(CheckoutController.prototype, 'place', descriptor);
  }
  const root: DynamicModule = { module: RateLimitedBff, imports: [feature, RateLimitModule.forRoot(config)] };
  const app = await createBffApp(root, config, name === 'mobile-bff' ? { conditionalGets: true, compression: true } : {});
  // Appended to the global guards, so after the AuthGuard: what RATE_LIMIT_GUARD listed after it does.
  app.useGlobalGuards(app.get(RateLimitGuard, { strict: false }));
  return app;
}

const startRateLimited = (name: BffName, env: Record<string, string>) =>
  startBff(name, (config) => createRateLimitedBff(name, config), env);

interface Answer {
  status: number;
  headers: Headers;
  json: any;
}

async function call(
  base: string,
  path: string,
  opts: { token?: string; method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  return fetchJson(`${base}${path}`, {
    method: opts.method ?? 'GET',
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
}

async function times(n: number, fn: () => Promise<Answer>): Promise<Answer[]> {
  const out: Answer[] = [];
  for (let i = 0; i < n; i++) out.push(await fn());
  return out;
}

const statuses = (answers: Answer[]) => answers.map((a) => a.status);

function expectLimited(r: Answer, limit: number, windowSec: number, instance: string): void {
  expect(r.status).toBe(429);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(r.json).toEqual({
    type: expect.any(String),
    title: 'Too Many Requests',
    status: 429,
    detail: `Too many requests: limit ${limit} per ${windowSec} s`,
    instance,
    requestId: r.headers.get('x-request-id'),
  });
  const retryAfter = Number(r.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(windowSec);
  expect(r.headers.get('ratelimit-limit')).toBe(String(limit));
  expect(r.headers.get('ratelimit-remaining')).toBe('0');
  expect(Number(r.headers.get('ratelimit-reset'))).toBe(retryAfter);
}

/** A loopback port nothing listens at (bound, then released). */
const deadRedisUrl = () =>
  new Promise<string>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(`redis://127.0.0.1:${port}`));
    });
  });

/** A TCP relay to the test Redis that can be cut and restored on the same port: a Redis outage on demand. */
async function startRedisRelay() {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const start = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(6379, '127.0.0.1');
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });
  await start();
  return { url: `redis://127.0.0.1:${port}`, start, stop };
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** CONTRACTS.md §2 RATE_LIMIT_MAX / RATE_LIMIT_WINDOW_MS / REDIS_URL, §3 "rate limit", over real HTTP. */
describe('rate limiting', () => {
  let rig: BffRig;
  let identity: TestIdentity;
  let double: TestServer;
  let downstreamEnv: Record<string, string>;
  let redis: Redis;

  const token = (sub: string, aud: BffName = 'web-bff') => identity.token({ sub: `${RUN}-${sub}`, aud });

  beforeAll(async () => {
    rig = await startBffRig({ env: { RATE_LIMIT_WINDOW_MS: '60000' } });
    identity = rig.identity;
    double = rig.double!;
    downstreamEnv = rig.env;
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
  });
  afterAll(async () => {
    // Every counter this run wrote to Redis carries RUN in its key.
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `*${RUN}*`, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await rig?.close();
  });

  describe('in process (no REDIS_URL)', () => {
    let web: RunningApp;
    let error: jest.SpyInstance;
    beforeAll(async () => {
      error = jest.spyOn(Logger.prototype, 'error');
      web = await startRateLimited('web-bff', { ...downstreamEnv, RATE_LIMIT_MAX: '30' });
    });
    afterAll(async () => {
      error.mockRestore();
      await web?.close();
    });

    it('answers RateLimit-* headers, then over RATE_LIMIT_MAX a 429 problem+json with Retry-After, without calling downstreams', async () => {
      const alice = await token('alice');
      const answers = await times(30, () => call(web.url, '/api/basket', { token: alice }));
      expect(statuses(answers)).toEqual(Array(30).fill(200));
      expect(answers[0].headers.get('ratelimit-limit')).toBe('30');
      expect(answers[0].headers.get('ratelimit-remaining')).toBe('29');
      const reset = Number(answers[0].headers.get('ratelimit-reset'));
      expect(reset).toBeGreaterThanOrEqual(1);
      expect(reset).toBeLessThanOrEqual(60);
      expect(answers[29].headers.get('ratelimit-remaining')).toBe('0');

      const before = double.requests.length;
      const over = await call(web.url, '/api/basket', { token: alice });
      expectLimited(over, 30, 60, '/api/basket');
      expect(double.requests.length).toBe(before);
      expect((await call(web.url, '/api/basket', { token: alice })).status).toBe(429);
    });

    it('counts a signed-in caller by the token sub: another user has a whole budget of their own', async () => {
      const bob = await token('bob');
      const r = await call(web.url, '/api/basket', { token: bob });
      expect(r.status).toBe(200);
      expect(r.headers.get('ratelimit-remaining')).toBe('29');
      // On an optional-auth route too: the verified sub, not the IP.
      const home = await call(web.url, '/api/products?pageSize=1', { token: bob });
      expect(home.headers.get('ratelimit-remaining')).toBe('28');
    });

    it('counts anonymous callers by IP, apart from signed-in callers from the same IP', async () => {
      const anonymous = await times(30, () => call(web.url, '/api/products?pageSize=1'));
      expect(statuses(anonymous)).toEqual(Array(30).fill(200));
      expectLimited(await call(web.url, '/api/products?pageSize=1'), 30, 60, '/api/products');
      expectLimited(await call(web.url, '/api/home'), 30, 60, '/api/home');

      const carol = await call(web.url, '/api/products?pageSize=1', { token: await token('carol') });
      expect(carol.status).toBe(200);
      expect(carol.headers.get('ratelimit-remaining')).toBe('29');
    });

    it('never counts /health/live, /metrics or /docs*, even for a caller over the limit', async () => {
      // The anonymous budget of 127.0.0.1 is spent (previous test).
      expect((await call(web.url, '/api/home')).status).toBe(429);
      const live = await times(60, () => call(web.url, '/health/live'));
      expect(statuses(live)).toEqual(Array(60).fill(200));
      expect(live[59].headers.get('ratelimit-limit')).toBeNull();
      expect(live[59].headers.get('retry-after')).toBeNull();
      for (const path of ['/metrics', '/docs', '/docs-json']) {
        expect((await call(web.url, path)).status).not.toBe(429);
      }
    });

    it('counts POST /api/checkout in the stricter checkout class as well as in the default one', async () => {
      const dave = await token('dave');
      // max(1, floor(30 / 30)) = 1 checkout per window. Counted before validation: a 400 uses it up.
      const first = await call(web.url, '/api/checkout', { method: 'POST', token: dave, body: {} });
      expect(first.status).toBe(400);
      expect(first.headers.get('ratelimit-limit')).toBe('1');
      expect(first.headers.get('ratelimit-remaining')).toBe('0');

      expectLimited(await call(web.url, '/api/checkout', { method: 'POST', token: dave, body: {} }), 1, 60, '/api/checkout');

      // Other routes only know the default class, where dave has made 3 requests so far.
      const basket = await call(web.url, '/api/basket', { token: dave });
      expect(basket.status).toBe(200);
      expect(basket.headers.get('ratelimit-limit')).toBe('30');
      expect(basket.headers.get('ratelimit-remaining')).toBe('27');
    });

    it('ran after the AuthGuard throughout', () => {
      expect(error.mock.calls.filter(([m]) => /before the AuthGuard/.test(String(m)))).toEqual([]);
    });

    it('counts 429s per class for metrics', () => {
      const counters = web.app.get(RateLimitCounters, { strict: false });
      expect(counters.limitedBy).toEqual({ default: 5, checkout: 1 });
      expect(counters.limited).toBe(6);
      expect(counters.redisAvailable).toBeUndefined();
    });
  });

  describe('with REDIS_URL: counters shared by the replicas of one BFF', () => {
    let webA: RunningApp;
    let webB: RunningApp;
    let mobile: RunningApp;
    beforeAll(async () => {
      const env = { ...downstreamEnv, RATE_LIMIT_MAX: '10', REDIS_URL: TEST_REDIS_URL };
      [webA, webB, mobile] = await Promise.all([
        startRateLimited('web-bff', env),
        startRateLimited('web-bff', env),
        startRateLimited('mobile-bff', env),
      ]);
    });
    afterAll(async () => {
      await Promise.all([webA?.close(), webB?.close(), mobile?.close()]);
    });

    it('admits no more than RATE_LIMIT_MAX across two replicas, even for concurrent requests', async () => {
      const erin = await token('erin');
      const answers = await Promise.all(
        Array.from({ length: 24 }, (_, i) => call(i % 2 === 0 ? webA.url : webB.url, '/api/basket', { token: erin })),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(10);
      expect(answers.filter((a) => a.status === 429)).toHaveLength(14);
      expect(answers.filter((a) => a.status === 200 && a.headers.get('ratelimit-remaining') === '0')).toHaveLength(1);
      expectLimited((await call(webB.url, '/api/basket', { token: erin }))!, 10, 60, '/api/basket');
      // The counter lives in Redis, under the BFF's own prefix.
      expect(await redis.exists(`{rl:web-bff:default:u:${RUN}-erin:default}:hits`)).toBe(1);
    });

    it('keeps web-bff and mobile-bff counters apart (a key prefix per BFF)', async () => {
      const r = await call(mobile.url, '/api/basket', { token: await token('erin', 'mobile-bff') });
      expect(r.status).toBe(200);
      expect(r.headers.get('ratelimit-remaining')).toBe('9');
      expect(await redis.get(`{rl:mobile-bff:default:u:${RUN}-erin:default}:hits`)).toBe('1');
    });
  });

  describe('when Redis fails', () => {
    let warn: jest.SpyInstance;
    let log: jest.SpyInstance;
    const outageWarnings = () => warn.mock.calls.filter(([m]) => /rate limits are counted per replica/.test(String(m))).length;
    const recoveries = () => log.mock.calls.filter(([m]) => /rate limits are shared by all replicas again/.test(String(m))).length;
    beforeEach(() => {
      warn = jest.spyOn(Logger.prototype, 'warn');
      log = jest.spyOn(Logger.prototype, 'log');
    });
    afterEach(() => jest.restoreAllMocks());

    it('with REDIS_URL at a dead port: starts, keeps serving with local limits, and logs once', async () => {
      const started = Date.now();
      const web = await startRateLimited('web-bff', { ...downstreamEnv, RATE_LIMIT_MAX: '5', REDIS_URL: await deadRedisUrl() });
      try {
        expect(Date.now() - started).toBeLessThan(5000);
        const frank = await token('frank');
        const answers = await times(8, () => call(web.url, '/api/basket', { token: frank }));
        expect(statuses(answers)).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
        expectLimited(answers[5], 5, 60, '/api/basket');
        await new Promise((r) => setTimeout(r, 1200)); // a few reconnection attempts fail meanwhile
        expect((await call(web.url, '/api/basket', { token: frank })).status).toBe(429);
        expect(outageWarnings()).toBe(1);
        const counters = web.app.get(RateLimitCounters, { strict: false });
        expect(counters.redisAvailable).toBe(false);
        expect(counters.localFallbacks).toBeGreaterThanOrEqual(9);
      } finally {
        await web.close();
      }
      expect(outageWarnings()).toBe(1);
    });

    it('during an outage counts locally and logs once; when Redis is back, logs once and counts in Redis again', async () => {
      const relay = await startRedisRelay();
      const web = await startRateLimited('web-bff', { ...downstreamEnv, RATE_LIMIT_MAX: '100', REDIS_URL: relay.url });
      const key = `{rl:web-bff:default:u:${RUN}-grace:default}:hits`;
      try {
        const grace = await token('grace');
        expect(statuses(await times(3, () => call(web.url, '/api/basket', { token: grace })))).toEqual([200, 200, 200]);
        expect(await redis.get(key)).toBe('3');

        await relay.stop();
        const during = await times(10, () => call(web.url, '/api/basket', { token: grace }));
        expect(statuses(during)).toEqual(Array(10).fill(200));
        // Counted locally, from zero: no request waits for or fails on Redis.
        expect(during[9].headers.get('ratelimit-remaining')).toBe('90');
        expect(outageWarnings()).toBe(1);
        expect(recoveries()).toBe(0);

        await relay.start();
        await until(() => recoveries() === 1, 5000);
        const after = await call(web.url, '/api/basket', { token: grace });
        expect(after.status).toBe(200);
        expect(after.headers.get('ratelimit-remaining')).toBe('96');
        expect(await redis.get(key)).toBe('4');
        expect(outageWarnings()).toBe(1);
        expect(recoveries()).toBe(1);
      } finally {
        await web.close();
        await relay.stop();
      }
    });
  });
});

describe('rate limits on gateway passthrough routes', () => {
  it('count gateway routes in the caller’s budget and answer 429 problem+json past it', async () => {
    const rig = await startBffRig({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' }, bffs: { 'web-bff': createWebBff } });
    const bff = rig.apps['web-bff']!;
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await fetch(`${bff.url}/api/catalog/brands`);
        statuses.push(r.status);
        if (r.status === 429) {
          expect(r.headers.get('content-type')).toMatch(/problem\+json/);
          expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        } else {
          expect(r.headers.get('ratelimit-limit')).toBe('3');
        }
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      // The same anonymous budget covers the Nest routes too.
      expect((await fetch(`${bff.url}/api/home`)).status).toBe(429);
    } finally {
      await rig.close();
    }
  });
});
