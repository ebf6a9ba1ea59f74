import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestContextStore, type PartMarks } from '@app/context';
import { clientsFor, DOUBLE_ITEMS, sendJson, sleep, startTestServer, type TestServer } from '@app/testing';
import type { CatalogClient } from './catalog.client';
import { DownstreamConnectionError, DownstreamStatusError, DownstreamTimeoutError } from './downstream.errors';
import type { HttpTransport, TransportOptions } from './http-transport';
import { MemoryResponseCache } from './response-cache';

const ITEMS = '/api/v1/catalog/items';

/** A caller in its own request (its own deadline and context), as concurrent client requests are. */
let seq = 0;
const inRequest = <T>(ms: number, fn: () => Promise<T>, part?: PartMarks) =>
  RequestContextStore.run({ requestId: `b${seq++}`, deadline: Date.now() + ms, timings: [], part }, fn);

/** The ids of a `?ids=` call, or the id of a single-item call. */
const idsOf = (url: string) => {
  const u = new URL(url, 'http://x');
  return u.pathname === ITEMS ? (u.searchParams.get('ids') ?? '').split(',').map(Number) : [Number(u.pathname.split('/').pop())];
};

/** Batching of catalog item lookups (CATALOG_BATCH_*), against a real catalog server on loopback. */
describe('catalog item batching', () => {
  const servers: TestServer[] = [];
  let transport: HttpTransport;
  let catalog: CatalogClient;
  let server: TestServer;
  type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
  /** How the `?ids=` route and the single-item route answer (default: from DOUBLE_ITEMS). */
  let idsRoute: Route;
  let itemRoute: Route;
  let delayMs: number;

  const items = () => server.requests.filter((r) => r.url.startsWith(ITEMS));
  const batched = () => items().filter((r) => r.url.startsWith(`${ITEMS}?ids=`));
  const single = () => items().filter((r) => /^\/api\/v1\/catalog\/items\/\d+$/.test(r.url));
  const answerIds = (req: IncomingMessage, res: ServerResponse) => {
    const ids = idsOf(req.url ?? '');
    sendJson(
      res,
      200,
      DOUBLE_ITEMS.filter((i) => ids.includes(i.id)).reverse(), // any order
    );
  };

  const answerItem = (req: IncomingMessage, res: ServerResponse) => {
    const item = DOUBLE_ITEMS.find((i) => i.id === idsOf(req.url ?? '')[0]);
    return item ? sendJson(res, 200, item) : sendJson(res, 404, {});
  };

  beforeEach(async () => {
    delayMs = 0;
    idsRoute = answerIds;
    itemRoute = answerItem;
    server = await startTestServer(async (req, res) => {
      if (delayMs) await sleep(delayMs);
      return req.url?.startsWith(`${ITEMS}?ids=`) ? idsRoute(req, res) : itemRoute(req, res);
    });
    servers.push(server);
  });
  afterEach(async () => {
    await transport?.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  const make = (over: Partial<TransportOptions> = {}) => {
    const clients = clientsFor(server.url, {
      service: 'catalog',
      shared: true,
      hedgeAfterMs: 0,
      retry: { maxRetries: 0 },
      batch: { delayMs: 2, maxIds: 50 },
      ...over,
    });
    transport = clients.transport;
    catalog = clients.catalog;
  };
  const lookups = (ids: number[], ms = 2000) => Promise.all(ids.map((id) => inRequest(ms, () => catalog.item(id))));

  it('concurrent lookups of different ids become one ?ids= call, each caller getting its own item or null', async () => {
    make();
    const ids = [...Array.from({ length: 19 }, (_, i) => i + 1), 999];
    const answers = await lookups(ids);
    expect(answers.map((a) => a?.id ?? null)).toEqual([...ids.slice(0, 19), null]);
    expect(answers[4]).toEqual(DOUBLE_ITEMS[4]);
    expect(single()).toHaveLength(0);
    expect(batched()).toHaveLength(1);
    expect(idsOf(batched()[0].url)).toEqual(ids);
  });

  it('byIds() of several callers shares the calls with concurrent item lookups', async () => {
    make();
    const [a, b, c] = await Promise.all([
      inRequest(2000, () => catalog.byIds([3, 1, 3, 999])),
      inRequest(2000, () => catalog.byIds([2, 5])),
      inRequest(2000, () => catalog.item(7)),
    ]);
    expect(a.map((i) => i.id).sort()).toEqual([1, 3]);
    expect(b.map((i) => i.id).sort()).toEqual([2, 5]);
    expect(c?.id).toBe(7);
    expect(items()).toHaveLength(1);
    expect(idsOf(batched()[0].url).sort((x, y) => x - y)).toEqual([1, 2, 3, 5, 7, 999]);
  });

  it('CATALOG_BATCH_DELAY_MS=0 turns it off: one call per id, byIds() one call of its own, as before', async () => {
    make({ batch: { delayMs: 0, maxIds: 50 } });
    expect(transport.batching).toBe(false);
    await lookups([1, 2, 3, 4, 5]);
    expect(
      single()
        .map((r) => idsOf(r.url)[0])
        .sort(),
    ).toEqual([1, 2, 3, 4, 5]);
    expect(batched()).toHaveLength(0);
    await Promise.all([inRequest(2000, () => catalog.byIds([1, 2])), inRequest(2000, () => catalog.byIds([3]))]);
    expect(batched().map((r) => r.url)).toEqual([`${ITEMS}?ids=1,2`, `${ITEMS}?ids=3`]);
  });

  it('caps a call at CATALOG_BATCH_MAX_IDS: 51 lookups with a cap of 50 make 2 calls', async () => {
    make({ batch: { delayMs: 2, maxIds: 50 } });
    const ids = Array.from({ length: 51 }, (_, i) => i + 1);
    const answers = await lookups(ids);
    expect(answers.filter(Boolean)).toHaveLength(30);
    expect(items()).toHaveLength(2);
    expect(idsOf(items()[0].url)).toEqual(ids.slice(0, 50));
    // The 51st went alone: a window of one id is that lookup's own call, as without batching.
    expect(items()[1].url).toBe(`${ITEMS}/51`);
  });

  it('an idle lookup goes at once as its own call; lookups made while a call is in flight wait for it and go together', async () => {
    make({ batch: { delayMs: 1000, maxIds: 50 } });
    delayMs = 150;
    const first = inRequest(2000, () => catalog.item(1));
    await sleep(20);
    const second = inRequest(2000, () => catalog.item(2));
    await sleep(20);
    const third = inRequest(2000, () => catalog.item(3));
    expect(items().map((r) => r.url)).toEqual([`${ITEMS}/1`]);
    expect((await Promise.all([first, second, third])).map((i) => i?.id)).toEqual([1, 2, 3]);
    // Not the 1000 ms delay: the window went when the call in flight answered.
    expect(items().map((r) => r.url)).toEqual([`${ITEMS}/1`, `${ITEMS}?ids=2,3`]);
  });

  it('while calls stay in flight, a window still goes after CATALOG_BATCH_DELAY_MS', async () => {
    make({ batch: { delayMs: 20, maxIds: 50 } });
    let firstAnswered = false;
    let arrivedWhileBusy: boolean | undefined;
    itemRoute = async (req, res) => {
      if (idsOf(req.url ?? '')[0] !== 1) {
        arrivedWhileBusy = !firstAnswered;
        return answerItem(req, res);
      }
      await sleep(400);
      firstAnswered = true;
      answerItem(req, res);
    };
    const first = inRequest(2000, () => catalog.item(1));
    await sleep(20);
    expect((await inRequest(2000, () => catalog.item(2)))?.id).toBe(2);
    expect(arrivedWhileBusy).toBe(true);
    expect((await first)?.id).toBe(1);
  });

  it('a failed batch fails each caller as its own call would have: 500 and a closed socket', async () => {
    make();
    idsRoute = (_req, res) => sendJson(res, 500, {});
    const failed = await Promise.all([4, 5, 6].map((id) => inRequest(2000, () => catalog.item(id)).catch((e: unknown) => e)));
    expect(failed.every((e) => e instanceof DownstreamStatusError && e.status === 500)).toBe(true);
    idsRoute = (req) => void req.socket.destroy();
    const reset = await Promise.all([7, 8].map((id) => inRequest(2000, () => catalog.item(id)).catch((e: unknown) => e)));
    expect(reset.every((e) => e instanceof DownstreamConnectionError)).toBe(true);
    expect(batched()).toHaveLength(2);
    expect(single()).toHaveLength(0);
  });

  it('a caller whose deadline passes gets its timeout alone; the one call goes on for the others', async () => {
    make();
    delayMs = 200;
    const hasty = inRequest(80, () => catalog.item(1)).catch((e: unknown) => e);
    const patient = lookups([2, 3], 2000);
    expect(await hasty).toMatchObject({ constructor: DownstreamTimeoutError, limit: 'deadline' });
    expect((await patient).map((i) => i?.id)).toEqual([2, 3]);
    expect(items()).toHaveLength(1);
    expect(idsOf(items()[0].url)).toEqual([1, 2, 3]);
  });

  it('a coalesced follower with more time keeps the merged call going past the first callers deadline', async () => {
    make();
    delayMs = 200;
    const early = lookups([1, 2], 80).catch((e: unknown) => e);
    await sleep(10);
    // Joins the lookup of id 2 in flight (coalescing), with a longer deadline than anyone in the batch.
    const late = inRequest(2000, () => catalog.item(2));
    expect(await early).toBeInstanceOf(DownstreamTimeoutError);
    expect((await late)?.id).toBe(2);
    expect(items()).toHaveLength(1);
  });

  it('with the cache on, cached ids cost no call and each item of a batch is cached under its own path', async () => {
    make({ cache: { store: new MemoryResponseCache(), ttlMs: 5000 } });
    await lookups([1, 2, 3]);
    expect(items()).toHaveLength(1);
    expect((await inRequest(2000, () => catalog.item(2)))?.id).toBe(2);
    expect((await inRequest(2000, () => catalog.byIds([1, 2, 3]))).map((i) => i.id).sort()).toEqual([1, 2, 3]);
    expect(items()).toHaveLength(1);
    // Only the misses go out.
    await Promise.all([inRequest(2000, () => catalog.byIds([1, 2, 4])), inRequest(2000, () => catalog.item(5))]);
    expect(items().map((r) => r.url)).toEqual([expect.stringContaining('?ids='), `${ITEMS}?ids=4,5`]);
  });

  it('stale-if-error works per id: a failed batch answers each caller from its own stale copy, and flags its part', async () => {
    make({ staleIfErrorMs: 60_000 });
    await lookups([1, 2]);
    idsRoute = (_req, res) => sendJson(res, 503, {});
    const parts = [{ stale: false }, { stale: false }, { stale: false }];
    const answers = await Promise.all([1, 2, 3].map((id, i) => inRequest(2000, () => catalog.item(id), parts[i]).catch((e: unknown) => e)));
    expect((answers[0] as { id: number }).id).toBe(1);
    expect((answers[1] as { id: number }).id).toBe(2);
    expect(answers[2]).toBeInstanceOf(DownstreamStatusError);
    expect(parts.map((p) => p.stale)).toEqual([true, true, false]);
    expect(transport.stats.staleServed).toBe(2);
    expect(batched()).toHaveLength(2);
  });

  it('the merged call is one bulkhead slot and reports its size', async () => {
    const sizes: number[] = [];
    make({
      maxConcurrency: 1,
      observer: { attempt: () => undefined, cache: () => undefined, batch: (_service, size) => sizes.push(size) },
    });
    const answers = await lookups([1, 2, 3, 4]);
    expect(answers.map((i) => i?.id)).toEqual([1, 2, 3, 4]);
    expect(transport.stats.shed).toBe(0);
    expect(sizes).toEqual([4]);
  });
});
