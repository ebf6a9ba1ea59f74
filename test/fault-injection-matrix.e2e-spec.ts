import type { BffConfig } from '@app/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createMobileBff } from '../apps/mobile-bff/src/mobile-bff.app';
import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { sleep, startBff, TestIdentity, type RunningApp } from '@app/testing';
import {
  closedPortUrl,
  DOUBLE_ORDERS,
  eventually,
  FAULTS,
  OVERSIZE_BYTES,
  SECRET,
  SLOW,
  SOCKET_KILLING,
  startFaultServer,
  timedGet,
  type ClientResponse,
  type Fault,
  type FaultServer,
  type Service,
} from './support/fault-server';

/**
 * Fault injection, the matrix (CONTRACTS.md §1 "Errors from downstreams", §3 "Partial failure"):
 * every fault × every downstream × the signed-in home, product and basket screens (plus the orders
 * screen, the only one that uses ordering) × both BFFs, over real loopback sockets. Each downstream is
 * its own server, so a fault hits exactly one of them. Per case: the status (required part → 502 or
 * 504; optional part → 200 with the part null/fallback and named in `degraded`; unused downstream →
 * complete 200), the time at the client, a problem+json body without any internal detail, and that
 * the BFF lets go of the faulty server's connections afterwards.
 *
 * Required/optional per screen, from CONTRACTS.md §3 and the composers:
 *   home     catalog required (web `catalog`, mobile `featured`); basket optional (brands/types are catalog too)
 *   product  catalog required (`product`); basket optional (`basketQuantity`)
 *   basket   basket required; catalog optional (current prices; without it the stored prices stand)
 *   orders   ordering required
 */

const REQUEST_TIMEOUT_MS = 600;
const DOWNSTREAM_TIMEOUT_MS = 250;
/** Far above any healthy answer of the doubles (a few KiB), far below the 50 MiB oversized one. */
const MAX_BODY_BYTES = 256 * 1024;
/** "No request outlives REQUEST_TIMEOUT_MS by more than a few milliseconds": a loaded CI box gets 100. */
const LATEST_ANSWER_MS = REQUEST_TIMEOUT_MS + 100;
const SERVICES: readonly Service[] = ['catalog', 'basket', 'ordering'];
/** How soon after the last answer of a case the faulty server must see its connections closed. */
const SOCKET_RELEASE_MS = 200;

type BffName = 'web-bff' | 'mobile-bff';
const BFFS: readonly BffName[] = ['web-bff', 'mobile-bff'];
const CREATE: Record<BffName, (config: BffConfig) => Promise<NestFastifyApplication>> = {
  'web-bff': createWebBff,
  'mobile-bff': createMobileBff,
};

/** alice's stored basket: line 1 was added at 9.50 and the catalog now asks 11 (the double's price is id + 10). */
const STORED_BASKET = {
  buyerId: 'alice',
  items: [
    { id: 'line-1', productId: 1, productName: 'Item 01', unitPrice: 9.5, oldUnitPrice: 9.5, quantity: 2, pictureUrl: '/pics/1.png' },
    { id: 'line-2', productId: 2, productName: 'Item 02', unitPrice: 12, oldUnitPrice: 12, quantity: 1, pictureUrl: '/pics/2.png' },
  ],
};

type Role = 'required' | 'optional';
interface Endpoint {
  name: 'home' | 'product' | 'basket' | 'orders';
  path: string;
  roles: Partial<Record<Service, Role>>;
  /** The complete answer (all downstreams healthy), `degraded` aside. */
  complete(body: any): void;
  /** The answer without the optional part served by `service`: that part null/fallback, the rest intact. */
  without: Partial<Record<Service, (body: any) => void>>;
}

const ENDPOINTS: Record<BffName, Endpoint[]> = {
  'web-bff': [
    {
      name: 'home',
      path: '/api/home',
      roles: { catalog: 'required', basket: 'optional' },
      complete: (b) => {
        webHomeCatalog(b);
        expect(b.basket).toEqual({ itemCount: 3, total: 31 });
      },
      without: {
        basket: (b) => {
          webHomeCatalog(b);
          expect(b.basket).toBeNull();
        },
      },
    },
    {
      name: 'product',
      path: '/api/products/1',
      roles: { catalog: 'required', basket: 'optional' },
      complete: (b) => {
        expect(b.product).toEqual(webProduct1);
        expect(b.basketQuantity).toBe(2);
      },
      without: {
        basket: (b) => {
          expect(b.product).toEqual(webProduct1);
          expect(b.basketQuantity).toBeNull();
        },
      },
    },
    {
      name: 'basket',
      path: '/api/basket',
      roles: { basket: 'required', catalog: 'optional' },
      complete: (b) => {
        expect(b).toMatchObject({ buyerId: 'alice', itemCount: 3, total: 34 });
        expect(b.items).toHaveLength(2);
        expect(b.items[0]).toMatchObject({
          id: 'line-1',
          productId: 1,
          unitPrice: 11,
          oldUnitPrice: 9.5,
          priceChanged: true,
          quantity: 2,
          lineTotal: 22,
          availableStock: 1,
        });
        expect(b.items[1]).toMatchObject({
          id: 'line-2',
          productId: 2,
          unitPrice: 12,
          oldUnitPrice: 12,
          priceChanged: false,
          lineTotal: 12,
          availableStock: 2,
        });
      },
      without: {
        // The stored prices stand; stock is unknown.
        catalog: (b) => {
          expect(b).toMatchObject({ buyerId: 'alice', itemCount: 3, total: 31 });
          expect(b.items).toHaveLength(2);
          expect(b.items[0]).toMatchObject({
            id: 'line-1',
            unitPrice: 9.5,
            oldUnitPrice: 9.5,
            priceChanged: false,
            quantity: 2,
            lineTotal: 19,
            availableStock: null,
          });
          expect(b.items[1]).toMatchObject({ id: 'line-2', unitPrice: 12, priceChanged: false, lineTotal: 12, availableStock: null });
        },
      },
    },
    {
      name: 'orders',
      path: '/api/orders',
      roles: { ordering: 'required' },
      complete: (b) => expect(b).toEqual({ orders: DOUBLE_ORDERS }),
      without: {},
    },
  ],
  'mobile-bff': [
    {
      name: 'home',
      path: '/api/home',
      roles: { catalog: 'required', basket: 'optional' },
      complete: (b) => {
        mobileHomeCatalog(b);
        expect(b.basketCount).toBe(3);
      },
      without: {
        basket: (b) => {
          mobileHomeCatalog(b);
          expect(b.basketCount).toBeNull();
        },
      },
    },
    {
      name: 'product',
      path: '/api/products/1',
      roles: { catalog: 'required', basket: 'optional' },
      complete: (b) => expect(b).toMatchObject({ ...mobileProduct1, basketQuantity: 2 }),
      without: { basket: (b) => expect(b).toMatchObject({ ...mobileProduct1, basketQuantity: null }) },
    },
    {
      name: 'basket',
      path: '/api/basket',
      roles: { basket: 'required', catalog: 'optional' },
      complete: (b) => {
        expect(b).toMatchObject({ count: 3, total: 34 });
        expect(b.items).toEqual([
          { id: 'line-1', productId: 1, name: 'Item 01', price: 11, quantity: 2, thumbnailUri: '/api/products/1/picture' },
          { id: 'line-2', productId: 2, name: 'Item 02', price: 12, quantity: 1, thumbnailUri: '/api/products/2/picture' },
        ]);
      },
      without: {
        catalog: (b) => {
          expect(b).toMatchObject({ count: 3, total: 31 });
          expect(b.items.map((i: { price: number }) => i.price)).toEqual([9.5, 12]);
        },
      },
    },
    {
      name: 'orders',
      path: '/api/orders',
      roles: { ordering: 'required' },
      complete: (b) => expect(b).toEqual({ items: DOUBLE_ORDERS, nextCursor: null }),
      without: {},
    },
  ],
};

const webProduct1 = {
  id: 1,
  name: 'Item 01',
  description: 'Description of item 1',
  price: 11,
  pictureUri: '/api/products/1/picture',
  brand: 'Brand 1',
  type: 'Type 1',
  availableStock: 1,
};
const mobileProduct1 = {
  id: 1,
  name: 'Item 01',
  description: 'Description of item 1',
  price: 11,
  pictureUri: '/api/products/1/picture',
  inStock: true,
};

function webHomeCatalog(b: any): void {
  expect(b.catalog).toMatchObject({ pageIndex: 0, pageSize: 12, count: 30 });
  expect(b.catalog.items).toHaveLength(12);
  expect(b.catalog.items[0]).toEqual(webProduct1);
  expect(b.brands).toEqual([
    { id: 1, name: 'Brand 1' },
    { id: 2, name: 'Brand 2' },
  ]);
  expect(b.types).toHaveLength(3);
}

function mobileHomeCatalog(b: any): void {
  expect(b.featured).toHaveLength(10);
  expect(b.featured[0]).toEqual({ id: 1, name: 'Item 01', price: 11, thumbnailUri: '/api/products/1/picture', inStock: true });
  expect(b.brands).toHaveLength(2);
}

interface Case {
  bff: BffName;
  endpoint: Endpoint;
  /** Sent as x-request-id: the BFF relays it to every downstream call, so each call is attributable. */
  rid: string;
}

function casesFor(service: Service, fault: Fault | 'healthy'): Case[] {
  return BFFS.flatMap((bff) =>
    ENDPOINTS[bff].map((endpoint) => ({ bff, endpoint, rid: `fi.${bff}.${endpoint.name}.${service}.${fault}` })),
  );
}

interface SocketReport {
  settled: boolean;
  /** Open connections after the healthy warm-up (all of them used). */
  baseline: number;
  /** Open connections after the faulty round, and how many of them ever carried a request. */
  after: number;
  open: number;
  used: number;
  neverUsed: number;
  inFlight: number;
  openFaultedSockets: number;
  faulted: number;
  settleMs: number;
  oversizeBytesSent: number;
}

describe('fault injection: fault × downstream × screen × BFF', () => {
  let identity: TestIdentity;
  const servers = {} as Record<BffName, Record<Service, FaultServer>>;
  const apps = {} as Record<BffName, RunningApp>;
  /** Per BFF and downstream: an app whose URL for that downstream is a closed port. */
  const refusedApps = {} as Record<BffName, Record<Service, RunningApp>>;
  const tokens = {} as Record<BffName, string>;
  /** Ports and URLs that must never reach a client. */
  const internals: string[] = [];

  const envFor = (bff: BffName, over: Partial<Record<Service, string>> = {}) => ({
    CATALOG_URL: over.catalog ?? servers[bff].catalog.url,
    BASKET_URL: over.basket ?? servers[bff].basket.url,
    ORDERING_URL: over.ordering ?? servers[bff].ordering.url,
    AUTH_JWKS_URL: identity.jwksUrl,
    AUTH_ISSUER: identity.issuer,
    REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    DOWNSTREAM_TIMEOUT_MS: String(DOWNSTREAM_TIMEOUT_MS),
    DOWNSTREAM_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
    // Required parts must really fail (no stale copies) and no breaker may open mid-matrix: both have their own suite.
    STALE_IF_ERROR_MS: '0',
    BREAKER_MIN_CALLS: '1000000',
    // Every case must reach the downstream (no response cache) and none may be throttled.
    CACHE_TTL_MS: '0',
    RATE_LIMIT_MAX: '1000000',
  });

  beforeAll(async () => {
    identity = await TestIdentity.start();
    for (const bff of BFFS) {
      const [catalog, basket, ordering] = await Promise.all(SERVICES.map((s) => startFaultServer(s)));
      servers[bff] = { catalog, basket, ordering };
      internals.push(...SERVICES.map((s) => servers[bff][s].url), ...SERVICES.map((s) => `:${servers[bff][s].port}`));
      // Seed alice's basket straight into the basket double.
      const seeded = await fetch(`${basket.url}/api/v1/basket`, { method: 'POST', body: JSON.stringify(STORED_BASKET) });
      expect(seeded.status).toBe(200);
      tokens[bff] = await identity.token({ sub: 'alice', aud: bff });
    }
    const refused = await Promise.all(SERVICES.map(() => closedPortUrl()));
    internals.push(...refused, ...refused.map((u) => `:${new URL(u).port}`));
    await Promise.all(
      BFFS.map(async (bff) => {
        apps[bff] = await startBff(bff, CREATE[bff], envFor(bff));
        const entries = await Promise.all(
          SERVICES.map(async (s, i) => [s, await startBff(bff, CREATE[bff], envFor(bff, { [s]: refused[i] }))] as const),
        );
        refusedApps[bff] = Object.fromEntries(entries) as Record<Service, RunningApp>;
      }),
    );
  });

  afterAll(async () => {
    const running = [...Object.values(apps), ...Object.values(refusedApps).flatMap((r) => Object.values(r))];
    await Promise.all(running.map((a) => a.close().catch(() => undefined)));
    await Promise.all(Object.values(servers).flatMap((r) => Object.values(r).map((s) => s.close())));
    await identity?.close();
  });

  const call = (app: RunningApp, c: Case): Promise<ClientResponse> =>
    timedGet(`${app.url}${c.endpoint.path}`, { authorization: `Bearer ${tokens[c.bff]}`, 'x-request-id': c.rid });

  const noInternals = (r: ClientResponse) => {
    const headers = JSON.stringify(r.headers);
    for (const text of [r.text, headers]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('127.0.0.1');
      expect(text).not.toMatch(/localhost|internal-catalog|\.internal\b/);
      for (const internal of internals) expect(text).not.toContain(internal);
    }
    // No stack traces, exception names or source positions.
    expect(r.text).not.toMatch(/\bat .+\(.+:\d+:\d+\)|Exception|node:internal|\.[jt]s:\d+|ECONN|UND_ERR|Downstream\w*Error/);
  };

  describe('with every downstream healthy', () => {
    const results = new Map<string, ClientResponse>();
    const cases = casesFor('catalog', 'healthy');
    beforeAll(async () => {
      const answers = await Promise.all(cases.map((c) => call(apps[c.bff], c)));
      cases.forEach((c, i) => results.set(c.rid, answers[i]));
    });
    it.each(cases.map((c) => [`${c.bff} GET ${c.endpoint.path}`, c] as const))('%s answers the complete screen', (_n, c) => {
      const r = results.get(c.rid)!;
      expect(r.status).toBe(200);
      expect(r.body.degraded ?? []).toEqual([]);
      c.endpoint.complete(r.body);
      noInternals(r);
    });
  });

  describe.each(FAULTS.flatMap((fault) => SERVICES.map((service) => [`${service} ${fault}`, service, fault] as const)))(
    '%s',
    (_label, service, fault) => {
      const cases = casesFor(service, fault);
      const results = new Map<string, ClientResponse>();
      const sockets = new Map<BffName, SocketReport>();
      const faulty = (bff: BffName) => servers[bff][service];
      const appFor = (bff: BffName) => (fault === 'refused' ? refusedApps[bff][service] : apps[bff]);

      beforeAll(async () => {
        const baselines = new Map<BffName, number>();
        if (fault !== 'refused') {
          // A known baseline: no connections, then twice this cell's traffic at once, healthy, so the
          // baseline is a warm pool with room for the faulty round (whatever the interleaving).
          for (const bff of BFFS) faulty(bff).dropConnections();
          await eventually(async () => (await Promise.all(BFFS.map((b) => faulty(b).connections()))).every((n) => n === 0));
          await sleep(20);
          await Promise.all([...cases, ...cases].map((c, i) => call(appFor(c.bff), { ...c, rid: `${c.rid}.warm${i}` })));
          for (const bff of BFFS) {
            await eventually(() => faulty(bff).inFlight === 0);
            faulty(bff).resetCounters();
            baselines.set(bff, await faulty(bff).connections());
            faulty(bff).fault = fault;
          }
        }
        try {
          const answers = await Promise.all(cases.map((c) => call(appFor(c.bff), c)));
          cases.forEach((c, i) => results.set(c.rid, answers[i]));
          if (fault === 'refused') return;
          await Promise.all(
            BFFS.map(async (bff) => {
              const server = faulty(bff);
              const baseline = baselines.get(bff)!;
              const started = Date.now();
              let after = 0;
              const settled = await eventually(async () => {
                after = await server.connections();
                const { used, neverUsed } = server.connectionStats();
                return (
                  server.inFlight === 0 &&
                  used <= baseline &&
                  neverUsed <= server.faulted &&
                  (!SOCKET_KILLING.has(fault) || server.openFaultedSockets === 0)
                );
              }, 1000);
              sockets.set(bff, {
                settled,
                baseline,
                after,
                ...server.connectionStats(),
                inFlight: server.inFlight,
                openFaultedSockets: server.openFaultedSockets,
                faulted: server.faulted,
                settleMs: Date.now() - started,
                oversizeBytesSent: server.oversizeBytesSent,
              });
            }),
          );
        } finally {
          for (const bff of BFFS) faulty(bff).fault = 'none';
        }
      });
      afterAll(() => {
        for (const bff of BFFS) faulty(bff).fault = 'none';
      });

      const expectation = (e: Endpoint) => {
        const role = e.roles[service];
        if (role === 'required') return SLOW.has(fault) ? '504 (required part timed out)' : '502 (required part failed)';
        if (role === 'optional') return `200 without ${service}, degraded [${service}]`;
        return '200 complete (does not use it)';
      };

      it.each(cases.map((c) => [`${c.bff} GET ${c.endpoint.path} → ${expectation(c.endpoint)}`, c] as const))('%s', (_n, c) => {
        const r = results.get(c.rid)!;
        const role = c.endpoint.roles[service];
        expect(r.headers['x-request-id']).toBe(c.rid);
        // Deadline: nothing answers later than REQUEST_TIMEOUT_MS (+ slack for a loaded box).
        expect(r.elapsed).toBeLessThanOrEqual(LATEST_ANSWER_MS);
        if (role && SLOW.has(fault)) {
          // Only a timer can end these: the attempt limit at the earliest.
          expect(r.elapsed).toBeGreaterThanOrEqual(DOWNSTREAM_TIMEOUT_MS - 10);
        } else {
          // Errors that arrive at once are answered at once, not after some timer.
          expect(r.elapsed).toBeLessThan(DOWNSTREAM_TIMEOUT_MS);
        }
        if (fault !== 'refused') {
          const reached = faulty(c.bff).requests.filter((q) => q.headers['x-request-id'] === c.rid).length;
          // The fault was really exercised by this request (or, when the screen does not use it, never touched).
          if (role) expect(reached).toBeGreaterThanOrEqual(1);
          else expect(reached).toBe(0);
          // At most the first attempt and RETRY_MAX (2) retries per downstream call the screen makes.
          if (role) expect(reached).toBeLessThanOrEqual(c.endpoint.name === 'home' && service === 'catalog' ? 9 : 3);
        }
        noInternals(r);

        if (role === 'required') {
          const status = SLOW.has(fault) ? 504 : 502;
          expect(r.status).toBe(status);
          expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(r.body).toEqual({
            type: expect.stringMatching(new RegExp(`${status}$`)),
            title: status === 504 ? 'Gateway Timeout' : 'Bad Gateway',
            status,
            detail: expect.any(String),
            instance: c.endpoint.path,
            requestId: c.rid,
          });
          if (c.bff === 'mobile-bff') expect(r.headers['cache-control']).toBe('no-store');
          return;
        }
        expect(r.status).toBe(200);
        expect(r.headers['content-type']).toMatch(/^application\/json/);
        if (role === 'optional') {
          expect(r.body.degraded).toEqual([service]);
          c.endpoint.without[service]!(r.body);
          // A degraded answer must not be reused by a client cache.
          if (c.bff === 'mobile-bff') expect(r.headers['cache-control']).toBe('no-store');
        } else {
          expect(r.body.degraded ?? []).toEqual([]);
          c.endpoint.complete(r.body);
        }
        if (c.bff === 'mobile-bff') expect(r.headers.etag).toMatch(/^W\/"/);
      });

      if (fault !== 'refused') {
        it.each(BFFS)(`%s lets go of the faulty ${service}'s connections (back to baseline)`, (bff) => {
          const report = sockets.get(bff)!;
          expect(report.faulted).toBeGreaterThan(0);
          // No response left half-sent; every connection that carried a killing fault closed by the BFF;
          // no more used connections than the warm pool had; and at most one idle re-dial per faulted
          // request (undici reconnects once after an aborted request; the next call reuses it).
          expect(report).toMatchObject({ settled: true, inFlight: 0 });
          if (SOCKET_KILLING.has(fault)) {
            expect(report.openFaultedSockets).toBe(0);
            // Let go by the time the client has its answer (the attempt limit and the deadline abort the
            // call), not later by some backstop such as undici's headers/body timeouts.
            expect(report.settleMs).toBeLessThanOrEqual(SOCKET_RELEASE_MS);
          }
          expect(report.used).toBeLessThanOrEqual(report.baseline);
          expect(report.neverUsed).toBeLessThanOrEqual(report.faulted);
          expect(report.after).toBe(report.open);
          if (fault === 'oversize') {
            // Cut off near the cap: far from the 50 MiB each oversized answer would have been.
            expect(report.oversizeBytesSent / report.faulted).toBeLessThan(OVERSIZE_BYTES / 4);
          }
        });
      }
    },
  );
});
