import type { ServerResponse } from 'node:http';
import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { bffEnv, startBff, startContractDouble, TestIdentity, type RunningApp, type TestServer } from '@app/testing';

type Fault = (path: string, res: ServerResponse) => boolean;

/** CONTRACTS.md §3 Partial failure: optional parts degrade, required parts map to 502/503/504 on time. */
describe('web-bff partial failure', () => {
  let identity: TestIdentity;
  let catalog: TestServer;
  let basket: TestServer;
  let bff: RunningApp;
  let fault: Fault = () => false;
  const REQUEST_TIMEOUT_MS = 600;

  beforeAll(async () => {
    identity = await TestIdentity.start();
    catalog = await startContractDouble({ fault: (p, r) => fault(p, r) });
    basket = await startContractDouble({ fault: (p, r) => fault(p, r) });
    bff = await startBff('web-bff', createWebBff, {
      ...bffEnv(identity, { catalog: catalog.url, basket: basket.url, ordering: basket.url }),
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      DOWNSTREAM_TIMEOUT_MS: '400',
      // Required parts must really fail here; stale-if-error has its own test below.
      STALE_IF_ERROR_MS: '0',
      CACHE_TTL_MS: '0',
      BREAKER_MIN_CALLS: '1000',
    });
  });
  afterEach(() => {
    fault = () => false;
  });
  afterAll(async () => {
    await bff?.close();
    await Promise.all([catalog?.close(), basket?.close(), identity?.close()]);
  });

  const home = async (token?: string) => {
    const started = Date.now();
    const res = await fetch(`${bff.url}/api/home`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text), text, elapsed: Date.now() - started, headers: res.headers };
  };
  const fail500 =
    (match: string): Fault =>
    (path, res) => {
      if (!path.startsWith(match)) return false;
      res.writeHead(500, { 'content-type': 'text/plain' }).end('NullReferenceException at Catalog.Api.Controllers');
      return true;
    };
  const hang =
    (match: string): Fault =>
    (path) =>
      path.startsWith(match);

  it('degrades optional brands and types when they fail', async () => {
    fault = fail500('/api/v1/catalog/catalog');
    const r = await home();
    expect(r.status).toBe(200);
    expect(r.body.brands).toBeNull();
    expect(r.body.types).toBeNull();
    expect(r.body.degraded).toEqual(['brands', 'types']);
    expect(r.body.catalog.items.length).toBeGreaterThan(0);
  });

  it('degrades the basket when basket hangs, answering before the deadline', async () => {
    fault = hang('/api/v1/basket');
    const r = await home(await identity.token());
    expect(r.status).toBe(200);
    expect(r.body.basket).toBeNull();
    expect(r.body.degraded).toEqual(['basket']);
    expect(r.elapsed).toBeLessThan(REQUEST_TIMEOUT_MS + 100);
  });

  it('answers 502 problem+json without the downstream body when the required catalog fails', async () => {
    fault = fail500('/api/v1/catalog/items');
    const r = await home();
    expect(r.status).toBe(502);
    expect(r.headers.get('content-type')).toMatch(/problem\+json/);
    expect(r.body.detail).toMatch(/catalog/);
    expect(r.text).not.toMatch(/NullReference|127\.0\.0\.1/);
  });

  it('answers 504 within the deadline when the required catalog hangs', async () => {
    fault = hang('/api/v1/catalog/items');
    const r = await home();
    expect(r.status).toBe(504);
    expect(r.elapsed).toBeLessThan(REQUEST_TIMEOUT_MS + 100);
  });

  it('answers 502 when the catalog sends malformed JSON', async () => {
    fault = (path, res) => {
      if (!path.startsWith('/api/v1/catalog/items')) return false;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"pageIndex":0,"data":[');
      return true;
    };
    expect((await home()).status).toBe(502);
  });

  it('serves the last good catalog page when the catalog fails, naming it in degraded', async () => {
    const staleBff = await startBff(
      'web-bff',
      createWebBff,
      bffEnv(identity, { catalog: catalog.url, basket: basket.url, ordering: basket.url }, { CACHE_TTL_MS: '0' }),
    );
    try {
      const fresh = (await (await fetch(`${staleBff.url}/api/home`)).json()) as any;
      fault = fail500('/api/v1/catalog/items');
      const res = await fetch(`${staleBff.url}/api/home`);
      const body = (await res.json()) as any;
      expect(res.status).toBe(200);
      expect(body.degraded).toEqual(['catalog']);
      expect(body.catalog).toEqual(fresh.catalog);
    } finally {
      await staleBff.close();
    }
  });

  it('relays the request id to every downstream call', async () => {
    const before = catalog.requests.length;
    await fetch(`${bff.url}/api/home`, { headers: { 'x-request-id': 'corr-77' } });
    const made = catalog.requests.slice(before);
    expect(made.length).toBeGreaterThanOrEqual(3);
    expect(made.every((r) => r.headers['x-request-id'] === 'corr-77')).toBe(true);
  });

  it('reports not ready when a required downstream is unreachable', async () => {
    const down = await startContractDouble();
    const url = down.url;
    await down.close();
    const lonely = await startBff('web-bff', createWebBff, bffEnv(identity, { catalog: url, basket: basket.url, ordering: basket.url }));
    try {
      const res = await fetch(`${lonely.url}/health/ready`);
      const text = await res.text();
      expect(res.status).toBe(503);
      expect(JSON.parse(text).checks.catalog.status).toBe('down');
      expect(text).not.toContain('127.0.0.1');
      expect((await fetch(`${lonely.url}/health/live`)).status).toBe(200);
    } finally {
      await lonely.close();
    }
  });
});
