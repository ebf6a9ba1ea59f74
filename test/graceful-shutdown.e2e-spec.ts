import { Agent, request } from 'undici';
import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { gracefulShutdown } from '@app/platform';
import { bffEnv, startBff, startContractDouble, TestIdentity, type RunningApp, type TestServer } from '@app/testing';

/** SIGTERM under load: readiness turns 503 at once, every in-flight request still succeeds, then it closes. */
describe('graceful shutdown', () => {
  let identity: TestIdentity;
  let slow: TestServer;
  let bff: RunningApp;

  beforeAll(async () => {
    identity = await TestIdentity.start();
    slow = await startContractDouble({ delayMs: 300 });
    bff = await startBff('web-bff', createWebBff, bffEnv(identity, slow.url, { CACHE_TTL_MS: '0' }));
  });
  afterAll(async () => {
    await slow?.close();
    await identity?.close();
  });

  it('drains in-flight requests, answers not-ready meanwhile, and closes', async () => {
    const agent = new Agent({ connections: 30 });
    // Shutdown starts only once the BFF has received all 20: a request still on its way when the
    // server closes idle connections is not in flight, and its reset would say nothing about draining.
    let received = 0;
    const onRequest = () => received++;
    bff.app.getHttpServer().on('request', onRequest);
    // Handled from the start, so a failed request fails this test instead of crashing the runner.
    const inFlight = Promise.all(
      Array.from({ length: 20 }, () =>
        request(`${bff.url}/api/home`, { dispatcher: agent }).then(async (r) => ({ status: r.statusCode, body: await r.body.json() })),
      ),
    );
    for (let waited = 0; received < 20 && waited < 5000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    bff.app.getHttpServer().off('request', onRequest);
    expect(received).toBe(20);
    const started = Date.now();
    const closed = gracefulShutdown(bff.app, { graceMs: 5000, delayMs: 150 }).shutdown();

    const ready = await fetch(`${bff.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toMatch(/problem\+json/);
    expect(ready.headers.get('connection')).toBe('close');

    const results = await inFlight;
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(results.every((r) => (r.body as { degraded: string[] }).degraded.length === 0)).toBe(true);

    await closed;
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(fetch(`${bff.url}/health/live`)).rejects.toThrow();
    await agent.close();
  });
});
