import { Agent } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { BffConfig } from '@app/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createMobileBff } from '../apps/mobile-bff/src/mobile-bff.app';
import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { sendJson, sleep, startBff, startTestServer, TestIdentity, type RunningApp, type TestServer } from '@app/testing';
import {
  eventually,
  SECRET,
  startFaultServer,
  timedGet,
  type ClientResponse,
  type FaultServer,
  type Service,
} from './support/fault-server';

/**
 * Fault injection, the resilience mechanisms end to end over real loopback sockets: the circuit
 * breaker (open → fast 503 without calling → half-open probe → closed, and readiness meanwhile),
 * the retry budget under a retry storm, stale-if-error, the bulkhead, connection hygiene under a
 * persistent hang, and the deadline on streamed pictures.
 */

const REQUEST_TIMEOUT_MS = 600;
const DOWNSTREAM_TIMEOUT_MS = 250;
const LATEST_ANSWER_MS = REQUEST_TIMEOUT_MS + 100;
const SERVICES: readonly Service[] = ['catalog', 'basket', 'ordering'];

type BffName = 'web-bff' | 'mobile-bff';
const BFFS: readonly BffName[] = ['web-bff', 'mobile-bff'];
const CREATE: Record<BffName, (config: BffConfig) => Promise<NestFastifyApplication>> = {
  'web-bff': createWebBff,
  'mobile-bff': createMobileBff,
};

interface Rig {
  app: RunningApp;
  catalog: FaultServer;
  basket: FaultServer;
  ordering: FaultServer;
  /** Ports and URLs that must never reach a client. */
  internals: string[];
  close(): Promise<void>;
}

let identity: TestIdentity;
const rigs: Rig[] = [];

beforeAll(async () => {
  identity = await TestIdentity.start();
});
afterAll(async () => {
  await Promise.all(rigs.map((r) => r.close()));
  await identity?.close();
});

/** One BFF with its own catalog, basket and ordering servers; closed in the file's afterAll. */
async function startRig(bff: BffName, env: Record<string, string>): Promise<Rig> {
  const [catalog, basket, ordering] = await Promise.all(SERVICES.map((s) => startFaultServer(s)));
  const app = await startBff(bff, CREATE[bff], {
    CATALOG_URL: catalog.url,
    BASKET_URL: basket.url,
    ORDERING_URL: ordering.url,
    AUTH_JWKS_URL: identity.jwksUrl,
    AUTH_ISSUER: identity.issuer,
    REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    DOWNSTREAM_TIMEOUT_MS: String(DOWNSTREAM_TIMEOUT_MS),
    STALE_IF_ERROR_MS: '0',
    BREAKER_MIN_CALLS: '1000000',
    // Every request must reach the downstream (no response cache) and none may be throttled.
    CACHE_TTL_MS: '0',
    RATE_LIMIT_MAX: '1000000',
    ...env,
  });
  const internals = [catalog, basket, ordering].flatMap((s) => [s.url, `:${s.port}`]);
  const rig: Rig = {
    app,
    catalog,
    basket,
    ordering,
    internals,
    close: async () => {
      await app.close().catch(() => undefined);
      await Promise.all([catalog.close(), basket.close(), ordering.close()]);
    },
  };
  rigs.push(rig);
  return rig;
}

function expectNoInternals(r: ClientResponse, internals: string[]): void {
  for (const text of [r.text, JSON.stringify(r.headers)]) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('127.0.0.1');
    for (const internal of internals) expect(text).not.toContain(internal);
  }
}

function expectProblem(r: ClientResponse, status: number, path: string): void {
  expect(r.status).toBe(status);
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(r.body).toMatchObject({ status, instance: path, detail: expect.any(String), requestId: expect.any(String) });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe.each(BFFS)('%s: circuit breaker end to end', (bff) => {
  const RESET_MS = 500;
  const MIN_CALLS = 4;
  let rig: Rig;
  let agent: Agent;
  const path = '/api/products/1';

  beforeAll(async () => {
    rig = await startRig(bff, {
      BREAKER_MIN_CALLS: String(MIN_CALLS),
      BREAKER_ERROR_PERCENT: '50',
      BREAKER_RESET_MS: String(RESET_MS),
      BREAKER_WINDOW_MS: '10000',
    });
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
  });
  afterAll(() => agent?.destroy());

  it('opens on a failing required downstream, sheds at once while open, and closes after a good probe', async () => {
    const get = (p = path) => timedGet(`${rig.app.url}${p}`, {}, { agent });
    const ready = () => timedGet(`${rig.app.url}/health/ready`, {}, { agent });
    expect((await get()).status).toBe(200);
    expect((await ready()).status).toBe(200);

    // 1. The catalog fails: 502s until the window holds BREAKER_MIN_CALLS calls, more than half failed.
    rig.catalog.fault = '500';
    const statuses: number[] = [];
    let openedAt = 0;
    for (let i = 0; i < MIN_CALLS + 3 && !openedAt; i++) {
      const r = await get();
      statuses.push(r.status);
      if (r.status === 503) openedAt = performance.now();
    }
    expect(statuses.at(-1)).toBe(503);
    const failures = statuses.slice(0, -1);
    expect(failures.every((s) => s === 502)).toBe(true);
    // The warm-up success counts in the window too: the 3rd or 4th failure opens it.
    expect(failures.length).toBeGreaterThanOrEqual(MIN_CALLS - 1);
    expect(failures.length).toBeLessThanOrEqual(MIN_CALLS);

    // 2. While open: 503 + Retry-After at once, and the downstream never sees the call (it now hangs,
    //    so a call that got through would take at least the attempt limit).
    rig.catalog.fault = 'hang';
    // Calls for the product (readiness probes the catalog on another route while the breaker is closed).
    const productCalls = () => rig.catalog.requests.filter((q) => q.url === '/api/v1/catalog/items/1').length;
    const before = productCalls();
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await get();
      expectProblem(r, 503, path);
      expect(r.headers['retry-after']).toBe(String(Math.ceil(RESET_MS / 1000)));
      expectNoInternals(r, rig.internals);
      times.push(r.elapsed);
    }
    expect(productCalls()).toBe(before);
    expect(median(times)).toBeLessThan(10);
    expect(Math.max(...times)).toBeLessThan(DOWNSTREAM_TIMEOUT_MS);

    // 3. Readiness says so, naming the instance, never the host.
    const notReady = await ready();
    expect(notReady.status).toBe(503);
    expect(notReady.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(notReady.body.checks.catalog).toEqual({ status: 'down', breakers: [{ instance: 'catalog#1', state: 'open' }] });
    expect(notReady.body.checks.basket).toMatchObject({ status: 'up', breakers: [{ instance: 'basket#1', state: 'closed' }] });
    expectNoInternals(notReady, rig.internals);
    expect(productCalls()).toBe(before);

    // 4. Healthy again, but the breaker stays open until BREAKER_RESET_MS has passed: still no call.
    rig.catalog.fault = 'none';
    const stillOpen = await get();
    expect(stillOpen.status).toBe(503);
    expect(productCalls()).toBe(before);
    // Everything above must have happened while the breaker was open, else this test proves nothing.
    expect(performance.now() - openedAt).toBeLessThan(RESET_MS);

    // 5. After the reset time one probe goes through; it succeeds and closes the breaker.
    await sleep(Math.max(0, openedAt + RESET_MS + 50 - performance.now()));
    const probe = await get();
    expect(probe.status).toBe(200);
    expect(probe.body).toMatchObject({ degraded: [] });
    expect(productCalls()).toBe(before + 1);
    const backToReady = await ready();
    expect(backToReady.status).toBe(200);
    expect(JSON.stringify(backToReady.body)).toContain('"instance":"catalog#1","state":"closed"');
    expect((await get()).status).toBe(200);
    expect(productCalls()).toBe(before + 2);
  });
});

describe('retry budget under a retry storm', () => {
  const N = 200;
  let rig: Rig;
  let agent: Agent;

  beforeAll(async () => {
    // A floor of 1 retry/s over a 10 s TTL (a reserve of 10): this measures the ratio part of the budget.
    rig = await startRig('web-bff', { RETRY_MAX: '2', RETRY_BUDGET_PERCENT: '20', RETRY_MIN_PER_SEC: '1', RETRY_BUDGET_TTL_MS: '10000' });
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
  });
  afterAll(() => agent?.destroy());

  it(`a catalog answering 503 to ${N} sequential requests gets at most 1.2× the calls plus the reserve, not 3×`, async () => {
    rig.catalog.fault = '503';
    const statuses = new Map<number, number>();
    for (let i = 0; i < N; i++) {
      const r = await timedGet(`${rig.app.url}/api/products/1`, { 'x-request-id': `storm-${i}` }, { agent });
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    }
    // A downstream 503 is a downstream error, not the BFF shedding load: 502 every time.
    expect(Object.fromEntries(statuses)).toEqual({ 502: N });
    const calls = rig.catalog.requests;
    const perRequest = (i: number) => calls.filter((c) => c.headers['x-request-id'] === `storm-${i}`).length;
    // Retries are on (the first failures may use the reserve: 1 + RETRY_MAX attempts)…
    expect(perRequest(0)).toBe(3);
    expect(calls.length).toBeGreaterThan(N);
    // …but the budget (20 % of calls + the floor's reserve of 10) caps them during the outage.
    expect(calls.length).toBeLessThanOrEqual(Math.ceil(1.2 * N) + 10);
  });
});

describe.each(BFFS)('%s: stale-if-error', (bff) => {
  let rig: Rig;
  let noRetries: Rig;
  let retryToDeadline: Rig;
  let token: string;
  const home = (on: Rig) => timedGet(`${on.app.url}/api/home`, { authorization: `Bearer ${token}` });
  /** The required catalog part's name in `degraded`, then the optional catalog parts. */
  const STALE_PARTS: Record<BffName, string[]> = { 'web-bff': ['catalog', 'brands', 'types'], 'mobile-bff': ['featured', 'brands'] };
  const catalogOf = (b: any) =>
    bff === 'web-bff' ? { catalog: b.catalog, brands: b.brands, types: b.types } : { featured: b.featured, brands: b.brands };

  beforeAll(async () => {
    [rig, noRetries, retryToDeadline] = await Promise.all([
      startRig(bff, { STALE_IF_ERROR_MS: '60000' }),
      startRig(bff, { STALE_IF_ERROR_MS: '60000', RETRY_MAX: '0' }),
      // Attempt 1 takes 400 of the 600 ms; the one retry is then always cut to the deadline.
      startRig(bff, { STALE_IF_ERROR_MS: '60000', DOWNSTREAM_TIMEOUT_MS: '400', RETRY_MAX: '1', RETRY_BUDGET_PERCENT: '100' }),
    ]);
    token = await identity.token({ sub: 'alice', aud: bff });
  });
  afterEach(() => {
    for (const r of [rig, noRetries, retryToDeadline]) r.catalog.fault = 'none';
  });

  it('serves the last good catalog when the catalog fails, naming it in degraded', async () => {
    const fresh = await home(rig);
    expect(fresh.status).toBe(200);
    expect(fresh.body.degraded).toEqual([]);

    rig.catalog.fault = '500';
    rig.catalog.resetCounters();
    const stale = await home(rig);
    expect(stale.status).toBe(200);
    expect(stale.body.degraded).toEqual(STALE_PARTS[bff]);
    expect(catalogOf(stale.body)).toEqual(catalogOf(fresh.body));
    expect(stale.body[bff === 'web-bff' ? 'basket' : 'basketCount']).toEqual(fresh.body[bff === 'web-bff' ? 'basket' : 'basketCount']);
    // It did ask the catalog (which failed) and used the copy.
    expect(rig.catalog.faulted).toBeGreaterThanOrEqual(STALE_PARTS[bff].length);
    expectNoInternals(stale, rig.internals);
    if (bff === 'mobile-bff') expect(stale.headers['cache-control']).toBe('no-store');
  });

  it('has no copy for a read it never made: that required part still fails (502)', async () => {
    rig.catalog.fault = '500';
    const r = await timedGet(`${rig.app.url}/api/products/7`);
    expectProblem(r, 502, '/api/products/7');
  });

  it('without retries, serves the copy at the attempt limit when the catalog hangs', async () => {
    const fresh = await home(noRetries);
    expect(fresh.status).toBe(200);
    noRetries.catalog.fault = 'hang';
    const stale = await home(noRetries);
    expect(stale.status).toBe(200);
    expect(stale.body.degraded).toEqual(STALE_PARTS[bff]);
    expect(catalogOf(stale.body)).toEqual(catalogOf(fresh.body));
    expect(stale.elapsed).toBeGreaterThanOrEqual(DOWNSTREAM_TIMEOUT_MS - 10);
    expect(stale.elapsed).toBeLessThan(REQUEST_TIMEOUT_MS);
  });

  // Regression: a retry that could not get a full attempt before the deadline used to be aborted at the
  // very moment the aggregate failed the part (504), so the stale copy never won. Now the transport
  // answers with the copy instead of starting such a retry. Here every request is that case (attempt 1
  // takes 400 of the 600 ms, the one retry always fits, the budget never runs dry).
  it('with a retry that reaches the deadline, still serves the copy before the deadline when the catalog hangs', async () => {
    expect((await timedGet(`${retryToDeadline.app.url}/api/products/1`)).status).toBe(200);
    retryToDeadline.catalog.fault = 'hang';
    for (let i = 0; i < 3; i++) {
      const r = await timedGet(`${retryToDeadline.app.url}/api/products/1`);
      expect(r.status).toBe(200);
      expect(r.body.degraded).toEqual(['product']);
      // Not at the deadline, where it would race the 504.
      expect(r.elapsed).toBeLessThan(REQUEST_TIMEOUT_MS - 50);
    }
  });
});

describe('bulkhead', () => {
  let rig: Rig;

  beforeAll(async () => {
    rig = await startRig('web-bff', { DOWNSTREAM_MAX_CONCURRENCY: '2' });
  });

  it('with 2 catalog calls hanging, further requests needing the catalog get 503 + Retry-After at once', async () => {
    rig.catalog.fault = 'hang';
    // Two products (distinct paths: identical catalog reads would be coalesced into one call).
    const hanging = [1, 2].map((id) => timedGet(`${rig.app.url}/api/products/${id}`, { 'x-request-id': `held-${id}` }));
    expect(await eventually(() => rig.catalog.requests.length >= 2)).toBe(true);

    const shed = await Promise.all([3, 4, 5].map((id) => timedGet(`${rig.app.url}/api/products/${id}`, { 'x-request-id': `shed-${id}` })));
    for (const [i, r] of shed.entries()) {
      expectProblem(r, 503, `/api/products/${i + 3}`);
      expect(r.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(r.elapsed).toBeLessThan(50);
      expectNoInternals(r, rig.internals);
    }
    expect(rig.catalog.requests.filter((c) => String(c.headers['x-request-id']).startsWith('shed-'))).toHaveLength(0);

    // The held ones end at the deadline (504), and the bulkhead lets calls through again.
    for (const r of await Promise.all(hanging)) {
      expectProblem(r, 504, r.body.instance);
      expect(r.elapsed).toBeLessThanOrEqual(LATEST_ANSWER_MS);
    }
    rig.catalog.fault = 'none';
    expect(await eventually(() => rig.catalog.inFlight === 0)).toBe(true);
    const after = await timedGet(`${rig.app.url}/api/products/3`);
    expect(after.status).toBe(200);
  });
});

describe('connections under a persistent hang', () => {
  let rig: Rig;

  beforeAll(async () => {
    rig = await startRig('web-bff', {});
  });

  it('closes every connection a hanging answer held, and the pool does not grow round after round', async () => {
    rig.catalog.fault = 'hang';
    const ROUNDS = 4;
    const CALLS = 3;
    const openAfter: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const answers = await Promise.all([1, 2, 3].map((id) => timedGet(`${rig.app.url}/api/products/${id}`)));
      expect(answers.map((a) => a.status)).toEqual([504, 504, 504]);
      // At once (not after some backstop timer): nothing in flight on the server, and no connection that
      // carried a request still open.
      expect(await eventually(() => rig.catalog.inFlight === 0 && rig.catalog.connectionStats().used === 0, 200)).toBe(true);
      openAfter.push(await rig.catalog.connections());
    }
    // What stays open are idle re-dials (undici reconnects once after an aborted request), never used,
    // at most one per attempt of the last round (3 calls × (1 + RETRY_MAX)); they are reused round
    // after round, so they do not pile up (a leak of even one per call would pass 9 by round 4).
    expect(rig.catalog.connectionStats().used).toBe(0);
    expect(Math.max(...openAfter)).toBeLessThanOrEqual(CALLS * 3);
  });
});

describe.each(BFFS)('%s: streamed pictures', (bff) => {
  let rig: Rig;
  let pictures: TestServer;
  const timers = new Set<NodeJS.Timeout>();

  beforeAll(async () => {
    // A catalog whose picture 1 trickles (a valid PNG header, one byte every 100 ms) and picture 2 hangs.
    pictures = await startTestServer((req, res: ServerResponse) => {
      if (req.url === '/api/v1/catalog/items/1/pic') {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.flushHeaders();
        const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
        let i = 0;
        const timer = setInterval(() => {
          if (!res.destroyed) res.write(png.subarray(i % png.length, (i++ % png.length) + 1));
        }, 100);
        timers.add(timer);
        res.once('close', () => {
          clearInterval(timer);
          timers.delete(timer);
        });
        return;
      }
      if (req.url === '/api/v1/catalog/items/2/pic') return; // never answers
      sendJson(res, 404, { title: 'Not Found' });
    });
    rig = await startRig(bff, { CATALOG_URL: pictures.url });
  });
  afterAll(async () => {
    for (const t of timers) clearInterval(t);
    await pictures?.close();
  });

  it('answers 504 problem+json within the deadline when the picture never comes', async () => {
    const r = await timedGet(`${rig.app.url}/api/products/2/picture`);
    expectProblem(r, 504, '/api/products/2/picture');
    expect(r.elapsed).toBeLessThanOrEqual(LATEST_ANSWER_MS);
  });

  // CONTRACTS.md §1: a downstream that "answers slowly" must not "hang a client past the BFF's request
  // deadline"; §3: "No request outlives REQUEST_TIMEOUT_MS". Regression: the picture's body used to be
  // relayed for as long as the catalog liked once its headers had arrived.
  it('ends a trickling picture by the request deadline', async () => {
    const r = await timedGet(`${rig.app.url}/api/products/1/picture`, {}, { timeoutMs: 1200 });
    expect(r.status).toBe(200);
    expect(r.gaveUp).toBe(false);
    expect(r.elapsed).toBeLessThanOrEqual(LATEST_ANSWER_MS);
  });
});
