import type { ServerResponse } from 'node:http';
import { RequestContextStore } from '@app/context';
import { sendJson, sleep, startTestServer, type TestServer } from '@app/testing';
import { DownstreamStatusError, DownstreamUnavailableError } from './downstream.errors';
import { DEFAULT_RETRY, HttpTransport, type TransportOptions } from './http-transport';
import { Type } from '@sinclair/typebox';
import { compileCheck } from '@app/contracts';

const isOk = compileCheck(Type.Object({ ok: Type.Boolean() }));
const BREAKER = { errorThresholdPercentage: 50, volumeThreshold: 5, windowMs: 10_000, resetTimeoutMs: 300 };
const NO_RETRY = { ...DEFAULT_RETRY, maxRetries: 0 };

/** Breakers, retries, budget, bulkhead, ejection and stale-if-error, against real flaky servers. */
describe('HttpTransport resilience', () => {
  const servers: TestServer[] = [];
  let transport: HttpTransport;
  const serve = async (handler: (res: ServerResponse, n: number) => void) => {
    let n = 0;
    const s = await startTestServer((_req, res) => handler(res, n++));
    servers.push(s);
    return s;
  };
  const make = (urls: string[], over: Partial<TransportOptions> = {}) =>
    (transport = new HttpTransport({
      service: 'catalog',
      baseUrls: urls,
      attemptTimeoutMs: 300,
      maxBodyBytes: 1 << 16,
      connections: 8,
      breaker: BREAKER,
      retry: NO_RETRY,
      ...over,
    }));
  const get = () => transport.call({ method: 'GET', path: '/x', expect: isOk });

  afterEach(async () => {
    await transport?.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('opens after the failure threshold, then fails fast without calling, then closes after a good probe', async () => {
    let healthy = false;
    const s = await serve((res) => (healthy ? sendJson(res, 200, { ok: true }) : sendJson(res, 500, {})));
    make([s.url]);
    for (let i = 0; i < 5; i++) await expect(get()).rejects.toBeInstanceOf(DownstreamStatusError);
    expect(transport.breakerStates()).toEqual([{ instance: 'catalog#1', state: 'open' }]);

    const before = s.requests.length;
    const started = performance.now();
    const err = await get().catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(10);
    expect(err).toBeInstanceOf(DownstreamUnavailableError);
    expect((err as DownstreamUnavailableError).retryAfterSec).toBeGreaterThanOrEqual(1);
    expect(s.requests.length).toBe(before);

    healthy = true;
    await sleep(350);
    expect(transport.breakerStates()[0].state).toBe('half-open');
    await expect(get()).resolves.toMatchObject({ body: { ok: true } });
    expect(transport.breakerStates()[0].state).toBe('closed');
  });

  it('does not count 4xx answers as failures', async () => {
    const s = await serve((res) => sendJson(res, 400, {}));
    make([s.url]);
    for (let i = 0; i < 20; i++) await expect(get()).rejects.toMatchObject({ status: 400 });
    expect(transport.breakerStates()[0].state).toBe('closed');
  });

  it('retries an idempotent GET on 503 and succeeds', async () => {
    const s = await serve((res, n) => (n < 2 ? sendJson(res, 503, {}) : sendJson(res, 200, { ok: true })));
    make([s.url], { retry: DEFAULT_RETRY });
    await expect(get()).resolves.toMatchObject({ body: { ok: true } });
    expect(s.requests).toHaveLength(3);
    expect(transport.stats.retries).toBe(2);
  });

  it('never retries POST, PUT or DELETE', async () => {
    const s = await serve((res) => sendJson(res, 503, {}));
    make([s.url], { retry: DEFAULT_RETRY });
    for (const method of ['POST', 'PUT', 'DELETE'] as const) {
      await expect(transport.call({ method, path: '/x', body: {} })).rejects.toMatchObject({ status: 503 });
    }
    expect(s.requests).toHaveLength(3);
  });

  it('keeps retries within the budget during an outage', async () => {
    const s = await serve((res) => sendJson(res, 503, {}));
    make([s.url], {
      retry: { ...DEFAULT_RETRY, baseDelayMs: 1, maxDelayMs: 2, minPerSec: 0 },
      breaker: { ...BREAKER, volumeThreshold: 100_000 },
    });
    for (let i = 0; i < 100; i++) await get().catch(() => undefined);
    // 100 calls, budget 20 % and no floor: far from the 200 retries an unbudgeted policy makes.
    expect(transport.stats.retries).toBeLessThanOrEqual(20);
    expect(s.requests.length).toBeLessThanOrEqual(120);
  });

  it('stops retrying when the request deadline would pass', async () => {
    const s = await serve((res) => sendJson(res, 503, {}));
    make([s.url], { retry: { ...DEFAULT_RETRY, baseDelayMs: 200, maxDelayMs: 200 } });
    const started = Date.now();
    await expect(RequestContextStore.run({ requestId: 'r', deadline: Date.now() + 60, timings: [] }, get)).rejects.toBeInstanceOf(
      DownstreamStatusError,
    );
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('sheds calls over the bulkhead at once, without counting them as failures', async () => {
    const s = await serve(() => undefined); // hangs
    make([s.url], { maxConcurrency: 2, attemptTimeoutMs: 200 });
    const hung = [get().catch(() => 'timeout'), get().catch(() => 'timeout')];
    const started = performance.now();
    await expect(get()).rejects.toBeInstanceOf(DownstreamUnavailableError);
    expect(performance.now() - started).toBeLessThan(10);
    expect(transport.stats.shed).toBe(1);
    await Promise.all(hung);
    expect(transport.breakerStates()[0].state).toBe('closed');
  });

  it('ejects a failing instance and keeps serving from the healthy one', async () => {
    const bad = await serve((res) => sendJson(res, 500, {}));
    const good = await serve((res) => sendJson(res, 200, { ok: true }));
    make([bad.url, good.url]);
    const outcomes: string[] = [];
    for (let i = 0; i < 30; i++)
      outcomes.push(
        await get().then(
          () => 'ok',
          () => 'fail',
        ),
      );
    expect(transport.breakerStates().map((b) => b.state)).toEqual(['open', 'closed']);
    expect(outcomes.slice(-10)).toEqual(Array(10).fill('ok'));
    expect(bad.requests.length).toBeLessThanOrEqual(6);
  });

  it('serves the last good answer when the downstream fails, and flags the part', async () => {
    let up = true;
    const s = await serve((res) => (up ? sendJson(res, 200, { ok: true }) : sendJson(res, 502, {})));
    make([s.url], { staleIfErrorMs: 60_000, shared: true });
    await get();
    up = false;
    const part = { stale: false };
    const res = await RequestContextStore.run({ requestId: 'r', deadline: Date.now() + 1000, timings: [], part }, get);
    expect(res.body).toEqual({ ok: true });
    expect(part.stale).toBe(true);
    expect(transport.stats.staleServed).toBe(1);
    await expect(transport.call({ method: 'GET', path: '/never-seen', expect: isOk })).rejects.toBeInstanceOf(DownstreamStatusError);
  });
});
