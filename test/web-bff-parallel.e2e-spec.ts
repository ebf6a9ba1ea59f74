import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { bffEnv, startBff, startContractDouble, TestIdentity, type RunningApp, type TestServer } from '@app/testing';

/** Fan-out must be parallel: four downstream reads of 200 ms each answer in one round trip, not four. */
describe('web-bff fans out in parallel', () => {
  let identity: TestIdentity;
  let catalog: TestServer;
  let basket: TestServer;
  let ordering: TestServer;
  let bff: RunningApp;

  beforeAll(async () => {
    identity = await TestIdentity.start();
    [catalog, basket, ordering] = await Promise.all([
      startContractDouble({ delayMs: 200 }),
      startContractDouble({ delayMs: 200 }),
      startContractDouble({ delayMs: 200 }),
    ]);
    // Every call must reach the doubles: this measures fan-out, not the cache.
    const downstreams = { catalog: catalog.url, basket: basket.url, ordering: ordering.url };
    bff = await startBff('web-bff', createWebBff, bffEnv(identity, downstreams, { CACHE_TTL_MS: '0' }));
  });
  afterAll(async () => {
    await bff?.close();
    await Promise.all([catalog?.close(), basket?.close(), ordering?.close(), identity?.close()]);
  });

  it('answers /api/home (catalog page, brands, types, basket) in under 350 ms', async () => {
    const token = await identity.token({ sub: 'alice' });
    // Warm up: JWKS fetch and keep-alive connections are one-off costs, not fan-out.
    await fetch(`${bff.url}/api/home`, { headers: { authorization: `Bearer ${token}` } });
    const before = catalog.requests.length + basket.requests.length;
    const started = performance.now();
    const res = await fetch(`${bff.url}/api/home`, { headers: { authorization: `Bearer ${token}` } });
    const elapsed = performance.now() - started;
    const body = (await res.json()) as any;
    expect(res.status).toBe(200);
    expect(catalog.requests.length + basket.requests.length - before).toBeGreaterThanOrEqual(4);
    expect(body.degraded).toEqual([]);
    expect(body.basket).toEqual({ itemCount: 0, total: 0 });
    expect(elapsed).toBeLessThan(350);
  });
});
