import type { ServerResponse } from 'node:http';
import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { startBffRig, type BffRig, type RunningApp } from '@app/testing';

type Fault = (path: string, res: ServerResponse) => boolean;
/** The fields of a product page, a problem and a basket these tests read. */
interface Answer {
  product: { id: number; name: string };
  type: string;
  detail: string;
  degraded: string[];
  items: Array<{ productId: number }>;
}

const ITEMS = '/api/v1/catalog/items';
const IDS = [...Array.from({ length: 19 }, (_, i) => i + 1), 999];

/**
 * Cross-request batching of catalog item lookups (CATALOG_BATCH_*) through web-bff: concurrent
 * product pages and basket pricing share `?ids=` calls, answers and failures stay per request.
 */
describe('catalog item batching (web-bff)', () => {
  let rig: BffRig;
  let fault: Fault = () => false;
  const quiet = {
    // Failures must reach the client as such: no stale copy, no retries, no breaker opening on the way.
    STALE_IF_ERROR_MS: '0',
    RETRY_MAX: '0',
    BREAKER_MIN_CALLS: '1000',
    CACHE_TTL_MS: '0',
    // A window longer than the catalog's answer: it closes when the call in flight answers, so the
    // number of calls does not depend on how fast the test's requests arrive.
    CATALOG_BATCH_DELAY_MS: '500',
  };

  beforeAll(async () => {
    rig = await startBffRig({ double: { delayMs: 40, fault: (p, r) => fault(p, r) } });
  });
  afterEach(() => {
    fault = () => false;
  });
  afterAll(async () => {
    await rig?.close();
  });

  const itemCalls = (from: number) =>
    rig.double!.requests.slice(from).filter((r) => r.url.startsWith(ITEMS) && !r.url.includes('pageIndex'));
  const idsIn = (urls: string[]) =>
    urls.flatMap((u) =>
      u.startsWith(`${ITEMS}?ids=`) ? u.slice(`${ITEMS}?ids=`.length).split(',').map(Number) : [Number(u.split('/').pop())],
    );
  const products = (bff: RunningApp, ids: number[]) =>
    Promise.all(
      ids.map(async (id) => {
        const res = await fetch(`${bff.url}/api/products/${id}`);
        return { id, status: res.status, body: (await res.json()) as Answer };
      }),
    );

  it('20 concurrent product pages of different ids share a few ?ids= calls; each gets its own product, or 404', async () => {
    const bff = await rig.start('web-bff', createWebBff, quiet);
    const before = rig.double!.requests.length;
    const answers = await products(bff, IDS);
    for (const a of answers) {
      if (a.id === 999) expect(a.status).toBe(404);
      else expect([a.status, a.body.product.id, a.body.product.name]).toEqual([200, a.id, `Item ${String(a.id).padStart(2, '0')}`]);
    }
    const calls = itemCalls(before).map((r) => r.url);
    // Without batching: 20 calls, one per id. Only a lookup that found the catalog idle goes alone.
    expect(calls.length).toBeLessThanOrEqual(4);
    expect(calls.filter((u) => !u.includes('?ids=')).length).toBeLessThanOrEqual(1);
    expect(idsIn(calls).sort((a, b) => a - b)).toEqual([...IDS].sort((a, b) => a - b));
    const metrics = await (await fetch(`${bff.url}/metrics`)).text();
    expect(metrics).toMatch(/downstream_batch_size_sum\{[^}]*service="catalog"[^}]*\} 20\n/);
  });

  it('CATALOG_BATCH_DELAY_MS=0: one call per id, as without batching', async () => {
    const bff = await rig.start('web-bff', createWebBff, { ...quiet, CATALOG_BATCH_DELAY_MS: '0' });
    const before = rig.double!.requests.length;
    const answers = await products(bff, IDS);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(19);
    const calls = itemCalls(before).map((r) => r.url);
    expect(calls).toHaveLength(20);
    expect(calls.filter((u) => u.includes('?ids='))).toEqual([]);
  });

  it('a batched call that fails fails each request as its own call would: product pages 502, basket prices degraded', async () => {
    const bff = await rig.start('web-bff', createWebBff, quiet);
    const token = await rig.identity.token({ sub: 'batch-buyer' });
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    for (const productId of [1, 2, 3]) {
      const added = await fetch(`${bff.url}/api/basket/items`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ productId, quantity: 1 }),
      });
      expect(added.status).toBe(200);
    }

    fault = (path, res) => {
      if (!path.startsWith(ITEMS)) return false;
      res.socket?.destroy();
      return true;
    };
    const before = rig.double!.requests.length;
    const pages = await products(bff, [4, 5, 6, 7, 8, 9]);
    for (const p of pages)
      expect([p.status, p.body.type, p.body.detail]).toEqual([502, expect.any(String), expect.stringMatching(/catalog/)]);
    expect(itemCalls(before).length).toBeLessThanOrEqual(3);

    fault = (path, res) => {
      if (!path.startsWith(ITEMS)) return false;
      res.writeHead(500).end('boom');
      return true;
    };
    const basket = await fetch(`${bff.url}/api/basket`, { headers: auth });
    const body = (await basket.json()) as Answer;
    expect([basket.status, body.degraded, body.items.length]).toEqual([200, ['catalog'], 3]);
  });

  it('one item of a batched answer that does not fit the contract fails only its own page', async () => {
    const bff = await rig.start('web-bff', createWebBff, quiet);
    const ids = [4, 5, 6, 7, 8, 9];
    // The real items, then a catalog whose ?ids= answers carry item 5 with a price that is not a number.
    const items = new Map<number, Record<string, unknown>>();
    for (const item of (await (await fetch(`${rig.double!.url}${ITEMS}?ids=${ids.join(',')}`)).json()) as Array<{ id: number }>)
      items.set(item.id, item);
    expect(items.size).toBe(ids.length);
    fault = (path, res) => {
      // The double hands faults the path alone; the query is on the request.
      const ids = new URL(res.req.url ?? '/', 'http://double').searchParams.get('ids');
      if (path !== ITEMS || !ids) return false;
      const asked = ids.split(',').map(Number);
      const body = asked.map((id) => (id === 5 ? { ...items.get(id), price: 'cheap' } : items.get(id)));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return true;
    };
    const before = rig.double!.requests.length;
    // A lookup of another id first keeps the catalog busy, so the six that follow share one window.
    const first = products(bff, [10]);
    await new Promise((r) => setTimeout(r, 10));
    const pages = await products(bff, ids);
    expect((await first)[0].status).toBe(200);
    const merged = idsIn(
      itemCalls(before)
        .map((r) => r.url)
        .filter((u) => u.includes('?ids=') && u.split(/[=,]/).includes('5')),
    );
    expect(merged.length).toBeGreaterThan(1);
    for (const p of pages) {
      if (p.id === 5) expect([p.status, p.body.detail]).toEqual([502, expect.stringMatching(/catalog/)]);
      else expect([p.status, p.body.product.id]).toEqual([200, p.id]);
    }
  });

  it('with the cache on, product pages and basket prices of cached ids make no catalog call', async () => {
    const bff = await rig.start('web-bff', createWebBff, { ...quiet, CACHE_TTL_MS: '60000' });
    const token = await rig.identity.token({ sub: 'batch-cached' });
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    let before = rig.double!.requests.length;
    expect((await products(bff, [11, 12, 13, 14])).map((p) => p.status)).toEqual([200, 200, 200, 200]);
    expect(itemCalls(before).length).toBeLessThanOrEqual(2);

    before = rig.double!.requests.length;
    expect((await products(bff, [11, 12, 13, 14])).map((p) => p.body.product.id)).toEqual([11, 12, 13, 14]);
    await fetch(`${bff.url}/api/basket/items`, { method: 'POST', headers: auth, body: JSON.stringify({ productId: 11, quantity: 1 }) });
    await fetch(`${bff.url}/api/basket/items`, { method: 'POST', headers: auth, body: JSON.stringify({ productId: 12, quantity: 1 }) });
    const basket = (await (await fetch(`${bff.url}/api/basket`, { headers: auth })).json()) as Answer;
    expect(basket.items.map((i) => i.productId)).toEqual([11, 12]);
    expect(itemCalls(before)).toEqual([]);
  });
});
