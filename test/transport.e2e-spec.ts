import { randomUUID } from 'node:crypto';
import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { CHECKOUT as SAMPLE_CHECKOUT } from '@app/sample-kit/testing';
import { deadUrl, fetchJson, sendJson, startBffRig, startContractDouble, type BffRig, type TestServer } from '@app/testing';

const { buyer: _buyer, ...CHECKOUT } = SAMPLE_CHECKOUT;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9) - 1];

const timed = fetchJson;

/** The transport's behaviours seen from a client of web-bff, against contract doubles on loopback. */
describe('web-bff over the transport pipeline', () => {
  const rigs: BffRig[] = [];
  const extra: TestServer[] = [];
  afterAll(async () => {
    await Promise.all(rigs.map((r) => r.close()));
    await Promise.all(extra.map((s) => s.close()));
  });
  const rig = async (...args: Parameters<typeof startBffRig>) => {
    const r = await startBffRig(...args);
    rigs.push(r);
    return r;
  };

  it('CATALOG_URL=a,b,<dead>: zero failed reads out of 60', async () => {
    const a = await startContractDouble();
    const b = await startContractDouble();
    extra.push(a, b);
    const catalog = [a.url, b.url, await deadUrl()].join(',');
    const r = await rig({ downstreams: { catalog, basket: a.url, ordering: a.url }, env: { CACHE_TTL_MS: '0', RATE_LIMIT_MAX: '100000' } });
    const bff = await r.start('web-bff', createWebBff);
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await timed(`${bff.url}/api/products/${(i % 30) + 1}`)).status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const ready = await timed(`${bff.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(JSON.stringify(ready.json)).toContain('"instance":"catalog#3","state":"open"');
  });

  it('hedges catalog reads by default: with one of two instances answering in 400 ms, 40 reads have p90 well under 150 ms', async () => {
    const fast = await startContractDouble();
    const slow = await startContractDouble({ delayMs: 400 });
    extra.push(fast, slow);
    const r = await rig({
      downstreams: { catalog: `${fast.url},${slow.url}`, basket: fast.url, ordering: fast.url },
      env: { CACHE_TTL_MS: '0', RATE_LIMIT_MAX: '100000' },
    });
    const bff = await r.start('web-bff', createWebBff);
    const times: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await timed(`${bff.url}/api/products/${(i % 30) + 1}`);
      expect(res.status).toBe(200);
      times.push(res.ms);
    }
    expect(p90(times)).toBeLessThan(150);
    expect(slow.requests.length).toBeGreaterThanOrEqual(15);
  });

  it('an open catalog breaker also fails the catalog passthrough routes fast, calling nobody', async () => {
    let failing = false;
    const r = await rig({
      double: { fault: (path, res) => (failing && path.startsWith('/api/v1/catalog') ? (sendJson(res, 500, {}), true) : false) },
      env: { CACHE_TTL_MS: '0', STALE_IF_ERROR_MS: '0', BREAKER_MIN_CALLS: '3', BREAKER_RESET_MS: '5000', RATE_LIMIT_MAX: '100000' },
    });
    const bff = await r.start('web-bff', createWebBff);
    expect((await timed(`${bff.url}/api/catalog/brands`)).status).toBe(200);
    failing = true;
    for (let i = 0; i < 4; i++) await timed(`${bff.url}/api/products/1`);
    const before = r.double!.requests.length;
    const res = await timed(`${bff.url}/api/catalog/brands`);
    expect(res.status).toBe(503);
    expect(res.ms).toBeLessThan(100);
    expect(r.double!.requests.length).toBe(before);
  });

  describe('orders and checkout', () => {
    let r: BffRig;
    let alice: string;
    const call = (base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      timed(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${alice}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
      });

    beforeAll(async () => {
      r = await rig({ env: { RATE_LIMIT_MAX: '100000' } });
      alice = await r.identity.token({ sub: `alice-${randomUUID()}`, aud: 'web-bff' });
    });

    it('checkout replayed on another replica after the order was placed (basket already empty) answers 202, not 422', async () => {
      const one = await r.start('web-bff', createWebBff);
      const two = await r.start('web-bff', createWebBff);
      expect((await call(one.url, 'POST', '/api/basket/items', { productId: 3, quantity: 1 })).status).toBe(200);
      const key = randomUUID();
      const first = await call(one.url, 'POST', '/api/checkout', CHECKOUT, { 'idempotency-key': key });
      expect(first.status).toBe(202);
      const replay = await call(two.url, 'POST', '/api/checkout', CHECKOUT, { 'idempotency-key': key });
      expect(replay).toMatchObject({ status: 202, json: { requestId: key } });
      // Both carried the same x-requestid; the double placed one order.
      const sent = r.double!.requests.filter((q) => q.url === '/api/v1/basket/checkout').map((q) => q.headers['x-requestid']);
      expect(sent).toEqual([key, key]);
      expect((await call(one.url, 'GET', '/api/orders')).json.orders).toHaveLength(1);
      // A fresh key on the empty basket is still a 422.
      expect((await call(two.url, 'POST', '/api/checkout', CHECKOUT, { 'idempotency-key': randomUUID() })).status).toBe(422);
    });

    it('order detail is built field by field (no downstream field passes through), and cancel relays a UUID x-requestid', async () => {
      const bff = await r.start('web-bff', createWebBff);
      const detail = await call(bff.url, 'GET', '/api/orders/1');
      expect(detail.status).toBe(200);
      expect(Object.keys(detail.json).sort()).toEqual(
        ['city', 'country', 'date', 'description', 'orderItems', 'orderNumber', 'state', 'status', 'street', 'total', 'zipCode'].sort(),
      );
      expect(Object.keys(detail.json.orderItems[0]).sort()).toEqual(['pictureUri', 'productId', 'productName', 'unitPrice', 'units']);
      // The double's order carries cardNumber and friends from the checkout body: none of them is relayed.
      expect(JSON.stringify(detail.json)).not.toContain(CHECKOUT.cardNumber);
      const cancel = await call(bff.url, 'POST', '/api/orders/1/cancel', undefined, { 'x-request-id': 'not-a-uuid.42' });
      expect(cancel.status).toBe(200);
      const sent = r.double!.requests.filter((q) => q.url === '/api/v1/orders/cancel').at(-1)!;
      expect(sent.headers['x-requestid']).toMatch(UUID);
    });
  });

  it('a deep type-only page asks each brand for a bounded page', async () => {
    const r = await rig({ env: { CACHE_TTL_MS: '0', RATE_LIMIT_MAX: '100000' } });
    const bff = await r.start('web-bff', createWebBff);
    const res = await timed(`${bff.url}/api/products?typeId=1&pageIndex=999&pageSize=50`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ pageIndex: 999, pageSize: 50, count: 10, items: [] });
    const asked = r
      .double!.requests.filter((q) => q.url.includes('/items/type/1/brand/'))
      .map((q) => Number(new URL(q.url, 'http://x').searchParams.get('pageSize')));
    expect(asked.length).toBe(2);
    expect(Math.max(...asked)).toBeLessThanOrEqual(1000);
  });
});
