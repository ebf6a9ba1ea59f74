import type { ServerResponse } from 'node:http';
import { Type } from '@sinclair/typebox';
import { compileCheck } from '@app/contracts';
import { RequestContextStore, type RequestContext } from '@app/context';
import { deadUrl, sendJson, sleep, startTestServer, type TestServer } from '@app/testing';
import { DownstreamTimeoutError, DownstreamUnavailableError } from '../downstream.errors';
import { HttpTransport, type TransportOptions } from '../http-transport';

const isOk = compileCheck(Type.Object({ ok: Type.Boolean() }));
const inRequest = <T>(ms: number, fn: () => Promise<T>, over: Partial<RequestContext> = {}) =>
  RequestContextStore.run({ requestId: 'r', deadline: Date.now() + ms, timings: [], ...over }, fn);

/** Behaviours of the transport pipeline, each against real servers on loopback. */
describe('transport pipeline behaviours', () => {
  const servers: TestServer[] = [];
  let transport: HttpTransport;
  const serve = async (handler: (res: ServerResponse, url: string) => void | Promise<void>) => {
    const s = await startTestServer((req, res) => handler(res, req.url ?? ''));
    servers.push(s);
    return s;
  };
  const make = (urls: string[], over: Partial<TransportOptions> = {}) =>
    (transport = new HttpTransport({
      service: 'catalog',
      baseUrls: urls,
      attemptTimeoutMs: 500,
      maxBodyBytes: 1 << 16,
      connections: 4,
      ...over,
    }));
  const get = (path = '/x') => transport.call({ method: 'GET', path, expect: isOk });

  afterEach(async () => {
    await transport?.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('retry budget floor: with no traffic to speak of, failures still get retries (RETRY_MIN_PER_SEC)', async () => {
    let n = 0;
    const s = await serve((res) => sendJson(res, n++ % 2 === 0 ? 503 : 200, { ok: true }));
    // A ratio of 0: only the floor pays for retries (2/s over 1 s).
    make([s.url], { retry: { budgetRatio: 0, minPerSec: 2, budgetTtlMs: 1000, baseDelayMs: 1, maxDelayMs: 2 } });
    await expect(get()).resolves.toMatchObject({ status: 200 });
    await expect(get()).resolves.toMatchObject({ status: 200 });
    // The floor is spent: the third failure is not retried…
    await expect(get()).rejects.toMatchObject({ status: 503 });
    // …until its withdrawals expire with the TTL.
    await sleep(1100);
    n = 0;
    await expect(get()).resolves.toMatchObject({ status: 200 });
    expect(transport.stats.retries).toBe(3);
  });

  it('retry budget TTL: a burst of calls long ago buys no retries now', async () => {
    let failing = false;
    const s = await serve((res) => sendJson(res, failing ? 503 : 200, { ok: true }));
    make([s.url], { retry: { budgetRatio: 0.5, minPerSec: 0, budgetTtlMs: 1000, baseDelayMs: 1, maxDelayMs: 2, maxRetries: 1 } });
    for (let i = 0; i < 10; i++) await get(`/warm/${i}`);
    failing = true;
    await sleep(1100);
    const before = s.requests.length;
    await expect(get()).rejects.toMatchObject({ status: 503 });
    // One deposit (0.5) since the burst expired: not enough for a retry.
    expect(s.requests.length - before).toBe(1);
  });

  it('a dead instance costs nothing: refused connections go at once to another instance, and it is ejected', async () => {
    const a = await serve((res) => sendJson(res, 200, { ok: true }));
    const b = await serve((res) => sendJson(res, 200, { ok: true }));
    // A ratio and floor of 0: no budget at all, so only free failover can save a read.
    make([a.url, b.url, await deadUrl()], {
      retry: { budgetRatio: 0, minPerSec: 0, maxRetries: 2 },
      breaker: { volumeThreshold: 1000, consecutiveConnectFailures: 2 },
    });
    const outcomes: string[] = [];
    for (let i = 0; i < 60; i++)
      outcomes.push(
        await inRequest(1000, () => get(`/r/${i}`)).then(
          () => 'ok',
          (e: Error) => e.name,
        ),
      );
    expect(outcomes.filter((o) => o !== 'ok')).toEqual([]);
    expect(transport.breakerStates().map((x) => x.state)).toEqual(['closed', 'closed', 'open']);
    expect(transport.stats.retries).toBe(0);
    expect(a.requests.length + b.requests.length).toBe(60);
  });

  it('attempts cut by the request deadline, or never sent for lack of time, are not the instance failures', async () => {
    const s = await serve(async (res) => {
      await sleep(200);
      sendJson(res, 200, { ok: true });
    });
    make([s.url], { breaker: { volumeThreshold: 1, errorThresholdPercentage: 1 }, retry: { maxRetries: 0 } });
    for (let i = 0; i < 5; i++) {
      await expect(inRequest(60, () => get(`/slow/${i}`))).rejects.toMatchObject({
        constructor: DownstreamTimeoutError,
        limit: 'deadline',
      });
    }
    await expect(inRequest(5, () => get('/no-time'))).rejects.toMatchObject({ limit: 'deadline' });
    expect(transport.breakerStates()[0].state).toBe('closed');
    await expect(inRequest(1000, () => get('/fine'))).resolves.toMatchObject({ status: 200 });
  });

  it('coalesced reads run under the longest waiting caller deadline', async () => {
    const s = await serve(async (res) => {
      await sleep(250);
      sendJson(res, 200, { ok: true });
    });
    make([s.url], { shared: true, hedgeAfterMs: 0 });
    const leader = inRequest(100, () => get('/shared'));
    await sleep(10);
    const follower = inRequest(1500, () => get('/shared'));
    // The leader's own deadline passes, but the one call goes on for the follower.
    await expect(follower).resolves.toMatchObject({ status: 200, body: { ok: true } });
    await leader.catch(() => undefined);
    expect(s.requests).toHaveLength(1);
  });

  it('picture streams count in the bulkhead until their body is done', async () => {
    const s = await serve((res, url) => {
      if (url.endsWith('/pic')) {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.write(Buffer.alloc(1024));
        return void setTimeout(() => res.end(Buffer.alloc(1024)), 100);
      }
      sendJson(res, 200, { ok: true });
    });
    make([s.url], { maxConcurrency: 1 });
    const pic = await transport.stream('/items/1/pic');
    await expect(get()).rejects.toBeInstanceOf(DownstreamUnavailableError);
    expect(transport.stats.shed).toBe(1);
    for await (const _chunk of pic.body) void _chunk;
    await sleep(5);
    await expect(get()).resolves.toMatchObject({ status: 200 });
  });
});

describe('hedging (HEDGE_AFTER_MS)', () => {
  const servers: TestServer[] = [];
  let transport: HttpTransport;
  let slowClosed = 0;

  afterEach(async () => {
    await transport?.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  /** Two instances; the second answers in 400 ms (and notes when the BFF hangs up first). */
  async function twoInstances(): Promise<string[]> {
    slowClosed = 0;
    const fast = await startTestServer((_req, res) => sendJson(res, 200, { ok: true }));
    const slow = await startTestServer(async (_req, res) => {
      res.on('close', () => {
        if (!res.writableFinished) slowClosed++;
      });
      await sleep(400);
      if (!res.destroyed) sendJson(res, 200, { ok: true });
    });
    servers.push(fast, slow);
    return [fast.url, slow.url];
  }

  const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9) - 1];

  async function timedReads(n: number): Promise<number[]> {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await RequestContextStore.run({ requestId: `h${i}`, deadline: Date.now() + 3000, timings: [] }, () =>
        transport.call({ method: 'GET', path: `/items/${i}`, expect: isOk }),
      );
      times.push(performance.now() - t0);
    }
    return times;
  }

  it('by default (the recent p95, at least 20 ms): 40 reads with one instance at 400 ms have p90 well under 150 ms; losers are aborted', async () => {
    const urls = await twoInstances();
    transport = new HttpTransport({
      service: 'catalog',
      baseUrls: urls,
      attemptTimeoutMs: 1000,
      maxBodyBytes: 1 << 16,
      connections: 4,
      shared: true,
    });
    const times = await timedReads(40);
    expect(p90(times)).toBeLessThan(150);
    expect(transport.stats.hedges).toBeGreaterThanOrEqual(15);
    await sleep(50);
    expect(slowClosed).toBeGreaterThanOrEqual(15);
    expect(transport.breakerStates().map((b) => b.state)).toEqual(['closed', 'closed']);
  });

  it('hedges only to another instance: one instance gets one attempt per read', async () => {
    const urls = await twoInstances();
    transport = new HttpTransport({
      service: 'catalog',
      baseUrls: [urls[1]],
      attemptTimeoutMs: 1000,
      maxBodyBytes: 1 << 16,
      connections: 4,
      shared: true,
    });
    await timedReads(3);
    expect(transport.stats.hedges).toBe(0);
    expect(servers[1].requests).toHaveLength(3);
  });

  it('0 turns hedging off', async () => {
    const urls = await twoInstances();
    transport = new HttpTransport({
      service: 'catalog',
      baseUrls: urls,
      attemptTimeoutMs: 1000,
      maxBodyBytes: 1 << 16,
      connections: 4,
      shared: true,
      hedgeAfterMs: 0,
    });
    const times = await timedReads(10);
    expect(p90(times)).toBeGreaterThan(350);
    expect(transport.stats.hedges).toBe(0);
  });

  it('hedges are paid from the retry budget and never outlive the deadline', async () => {
    const urls = await twoInstances();
    transport = new HttpTransport({
      service: 'catalog',
      baseUrls: [urls[1], `${urls[1]}/b`],
      attemptTimeoutMs: 1000,
      maxBodyBytes: 1 << 16,
      connections: 4,
      shared: true,
      hedgeAfterMs: 30,
      retry: { budgetRatio: 0, minPerSec: 1, budgetTtlMs: 2000, maxRetries: 0 },
    });
    const started = Date.now();
    await expect(
      RequestContextStore.run({ requestId: 'h', deadline: Date.now() + 200, timings: [] }, () =>
        transport.call({ method: 'GET', path: '/a', expect: isOk }),
      ),
    ).rejects.toBeInstanceOf(DownstreamTimeoutError);
    expect(Date.now() - started).toBeLessThan(260);
    // The floor allowed 2 hedges in the TTL: the first read used one, the next one more, then none.
    await timedReadsQuiet(3);
    expect(transport.stats.hedges).toBe(2);
  });

  async function timedReadsQuiet(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      await RequestContextStore.run({ requestId: `q${i}`, deadline: Date.now() + 1000, timings: [] }, () =>
        transport.call({ method: 'GET', path: `/q/${i}`, expect: isOk }),
      );
    }
  }
});
