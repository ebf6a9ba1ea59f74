import { randomUUID } from 'node:crypto';
import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { CHECKOUT as SAMPLE_CHECKOUT } from '@app/sample-kit/testing';
import { fetchJson, startBffRig, type BffRig, type RunningApp } from '@app/testing';
import { startSampleStack, type SampleStack } from './support/sample-stack';

// The BFF's checkout body is BasketCheckout without `buyer`: the buyer comes from the token.
const { buyer: _buyer, ...CHECKOUT } = SAMPLE_CHECKOUT;

/** Every web-bff endpoint of CONTRACTS.md §3, over real HTTP, against the sample services. */
describe('web-bff end to end', () => {
  let stack: SampleStack;
  let rig: BffRig;
  let bff: RunningApp;
  let alice: string;
  let bob: string;

  const call = (method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    return fetchJson(`${bff.url}${path}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
    });
  };
  const expectProblem = (r: { status: number; headers: Headers; json: any; text: string }, status: number, detail?: RegExp) => {
    expect(r.status).toBe(status);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(r.json).toMatchObject({
      type: expect.any(String),
      title: expect.any(String),
      status,
      instance: expect.any(String),
      requestId: expect.any(String),
    });
    if (detail) expect(r.json.detail).toMatch(detail);
    expect(r.text).not.toMatch(/127\.0\.0\.1|localhost|at .*\.ts:\d+|stack/);
  };

  beforeAll(async () => {
    stack = await startSampleStack();
    rig = await startBffRig({ identity: stack.identity, downstreams: stack.downstreams, bffs: { 'web-bff': createWebBff } });
    bff = rig.apps['web-bff']!;
    alice = await stack.identity.token({ sub: 'alice-0001', aud: 'web-bff' });
    bob = await stack.identity.token({ sub: 'bob-0002', aud: 'web-bff' });
  });
  afterAll(async () => {
    await rig?.close();
    await stack?.close();
  });

  describe('catalog', () => {
    it('GET /api/home answers the catalog, brands and types for an anonymous caller, basket null and not degraded', async () => {
      const r = await call('GET', '/api/home');
      expect(r.status).toBe(200);
      expect(r.json.catalog).toMatchObject({ pageIndex: 0, pageSize: 12, count: expect.any(Number) });
      expect(r.json.catalog.count).toBeGreaterThanOrEqual(1000);
      expect(r.json.catalog.items).toHaveLength(12);
      expect(Object.keys(r.json.catalog.items[0]).sort()).toEqual(
        ['availableStock', 'brand', 'description', 'id', 'name', 'pictureUri', 'price', 'type'].sort(),
      );
      expect(r.json.brands).toEqual(expect.arrayContaining([{ id: expect.any(Number), name: '.NET' }]));
      expect(r.json.types).toEqual(expect.arrayContaining([{ id: expect.any(Number), name: 'Mug' }]));
      expect(r.json.basket).toBeNull();
      expect(r.json.degraded).toEqual([]);
      expect(r.text).not.toContain(stack.catalog.url);
      expect(r.json.catalog.items[0].pictureUri).toBe(`/api/products/${r.json.catalog.items[0].id}/picture`);
    });

    it('GET /api/home with a token includes the basket summary', async () => {
      const r = await call('GET', '/api/home?pageSize=3', { token: alice });
      expect(r.status).toBe(200);
      expect(r.json.basket).toEqual({ itemCount: expect.any(Number), total: expect.any(Number) });
      expect(r.json.catalog.items).toHaveLength(3);
    });

    it('GET /api/products pages, filters by brand, by type alone, by both, and searches by name', async () => {
      const page = await call('GET', '/api/products?pageIndex=1&pageSize=5');
      expect(page.status).toBe(200);
      expect(page.json).toMatchObject({ pageIndex: 1, pageSize: 5, degraded: [] });
      expect(page.json.items).toHaveLength(5);

      const brands = (await call('GET', '/api/home')).json.brands as Array<{ id: number; name: string }>;
      const types = (await call('GET', '/api/home')).json.types as Array<{ id: number; name: string }>;
      const dotnet = brands.find((b) => b.name === '.NET')!;
      const mug = types.find((t) => t.name === 'Mug')!;

      const byBrand = await call('GET', `/api/products?brandId=${dotnet.id}&pageSize=50`);
      expect(byBrand.json.items.every((p: any) => p.brand === '.NET')).toBe(true);
      const byType = await call('GET', `/api/products?typeId=${mug.id}&pageSize=50`);
      expect(byType.json.items.length).toBeGreaterThan(0);
      expect(byType.json.items.every((p: any) => p.type === 'Mug')).toBe(true);
      const names = byType.json.items.map((p: any) => p.name);
      expect(names).toEqual([...names].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
      const both = await call('GET', `/api/products?typeId=${mug.id}&brandId=${dotnet.id}&pageSize=50`);
      expect(both.json.items.every((p: any) => p.type === 'Mug' && p.brand === '.NET')).toBe(true);
      expect(both.json.count).toBeLessThanOrEqual(byType.json.count);

      const search = await call('GET', `/api/products?q=${encodeURIComponent('.net b')}`);
      expect(search.json.items.length).toBeGreaterThan(0);
      expect(search.json.items.every((p: any) => p.name.toLowerCase().startsWith('.net b'))).toBe(true);
    });

    it('GET /api/products/{id} answers the product with basketQuantity null when anonymous, and 404 for none', async () => {
      const r = await call('GET', '/api/products/1');
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ product: { id: 1, name: '.NET Bot Black Hoodie', price: 19.5 }, basketQuantity: null, degraded: [] });
      expectProblem(await call('GET', '/api/products/999999'), 404, /999999/);
    });

    it('GET /api/products/{id}/picture streams the image', async () => {
      const res = await fetch(`${bff.url}/api/products/1/picture`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expectProblem(await call('GET', '/api/products/999999/picture'), 404);
    });
  });

  describe('bad input', () => {
    it.each([
      ['/api/products?pageSize=51', 'pageSize'],
      ['/api/products?pageSize=0', 'pageSize'],
      ['/api/products?pageIndex=-1', 'pageIndex'],
      ['/api/products?brandId=abc', 'brandId'],
      ['/api/products?typeId=1.5', 'typeId'],
      ['/api/products?color=red', 'color'],
      ['/api/home?pageSize=500', 'pageSize'],
      ['/api/products/abc', 'id'],
      ['/api/products/0', 'id'],
      ['/api/products/-3', 'id'],
    ])('GET %s → 400 naming %s', async (path, field) => {
      expectProblem(await call('GET', path), 400, new RegExp(field));
    });

    it('rejects malformed JSON, unknown fields, out-of-range quantities and oversize bodies without touching the basket', async () => {
      const before = await call('GET', '/api/basket', { token: bob });
      expectProblem(await call('POST', '/api/basket/items', { token: bob, body: '{"productId": 1,' }), 400, /JSON/);
      expectProblem(await call('POST', '/api/basket/items', { token: bob, body: { productId: 1, price: 0.01 } }), 400, /price/);
      expectProblem(await call('POST', '/api/basket/items', { token: bob, body: { productId: 1, quantity: 100 } }), 400, /quantity/);
      expectProblem(await call('POST', '/api/basket/items', { token: bob, body: { productId: 1, quantity: 0 } }), 400, /quantity/);
      expectProblem(await call('POST', '/api/basket/items', { token: bob, body: { productId: 'one' } }), 400, /productId/);
      expectProblem(await call('POST', '/api/basket/items', { token: bob, body: { productId: 1, pad: 'x'.repeat(70_000) } }), 413);
      expectProblem(await call('POST', '/api/basket/items', { token: bob, body: { productId: 99999999 } }), 422, /99999999/);
      expectProblem(
        await call('PUT', '/api/basket/items', { token: bob, body: { updates: [{ basketItemId: 'x', quantity: -1 }] } }),
        400,
        /quantity/,
      );
      const after = await call('GET', '/api/basket', { token: bob });
      expect(after.json).toEqual(before.json);
    });

    it('answers unknown routes with a problem+json 404', async () => {
      expectProblem(await call('GET', '/api/nope'), 404);
    });
  });

  describe('basket, checkout and orders', () => {
    it('adds, increments, reprices, updates and removes lines of the caller’s own basket', async () => {
      let r = await call('POST', '/api/basket/items', { token: alice, body: { productId: 1 } });
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ buyerId: 'alice-0001', itemCount: 1, total: 19.5, degraded: [] });
      expect(r.json.items[0]).toMatchObject({
        productId: 1,
        productName: '.NET Bot Black Hoodie',
        unitPrice: 19.5,
        oldUnitPrice: 19.5,
        priceChanged: false,
        quantity: 1,
        pictureUri: '/api/products/1/picture',
        lineTotal: 19.5,
        availableStock: expect.any(Number),
      });
      r = await call('POST', '/api/basket/items', { token: alice, body: { productId: 1, quantity: 2 } });
      expect(r.json.items).toHaveLength(1);
      expect(r.json.itemCount).toBe(3);
      r = await call('POST', '/api/basket/items', { token: alice, body: { productId: 2, quantity: 2 } });
      expect(r.json.itemCount).toBe(5);
      expect(r.json.total).toBe(Math.round((19.5 * 3 + 8.5 * 2) * 100) / 100);

      const home = await call('GET', '/api/home', { token: alice });
      expect(home.json.basket).toEqual({ itemCount: 5, total: r.json.total });
      const product = await call('GET', '/api/products/1', { token: alice });
      expect(product.json.basketQuantity).toBe(3);

      const mugLine = r.json.items.find((i: any) => i.productId === 2);
      r = await call('PUT', '/api/basket/items', { token: alice, body: { updates: [{ basketItemId: mugLine.id, quantity: 1 }] } });
      expect(r.status).toBe(200);
      expect(r.json.itemCount).toBe(4);
      expectProblem(
        await call('PUT', '/api/basket/items', { token: alice, body: { updates: [{ basketItemId: 'nope', quantity: 1 }] } }),
        422,
        /nope/,
      );

      r = await call('DELETE', `/api/basket/items/${mugLine.id}`, { token: alice });
      expect(r.status).toBe(200);
      expect(r.json.items.map((i: any) => i.productId)).toEqual([1]);
      expectProblem(await call('DELETE', `/api/basket/items/${mugLine.id}`, { token: alice }), 404);

      // Bob's basket is his own: Alice's lines never show up there.
      const bobs = await call('GET', '/api/basket', { token: bob });
      expect(bobs.json.buyerId).toBe('bob-0002');
      expect(bobs.json.items).toEqual([]);
    });

    it('drafts, checks out exactly once per Idempotency-Key, and lists, shows and cancels the order', async () => {
      const draft = await call('GET', '/api/checkout/draft', { token: alice });
      expect(draft.status).toBe(200);
      expect(draft.json).toEqual({
        items: [expect.objectContaining({ productId: 1, units: 3, pictureUri: '/api/products/1/picture' })],
        total: 58.5,
      });

      expectProblem(await call('POST', '/api/checkout', { token: alice, body: CHECKOUT }), 400, /Idempotency-Key/);
      expectProblem(
        await call('POST', '/api/checkout', {
          token: alice,
          body: { ...CHECKOUT, cardNumber: 'x' },
          headers: { 'idempotency-key': randomUUID() },
        }),
        400,
        /cardNumber/,
      );
      expectProblem(
        await call('POST', '/api/checkout', {
          token: alice,
          body: { ...CHECKOUT, buyer: 'bob-0002' },
          headers: { 'idempotency-key': randomUUID() },
        }),
        400,
        /buyer/,
      );

      const key = randomUUID();
      const first = await call('POST', '/api/checkout', { token: alice, body: CHECKOUT, headers: { 'idempotency-key': key } });
      expect(first.status).toBe(202);
      expect(first.json).toEqual({ requestId: key });
      const again = await call('POST', '/api/checkout', { token: alice, body: CHECKOUT, headers: { 'idempotency-key': key } });
      expect(again.status).toBe(202);

      const orders = await call('GET', '/api/orders', { token: alice });
      expect(orders.status).toBe(200);
      expect(orders.json.orders).toHaveLength(1);
      expect(orders.json.orders[0]).toEqual({
        orderNumber: expect.any(Number),
        date: expect.any(String),
        status: 'submitted',
        total: 58.5,
      });
      const n = orders.json.orders[0].orderNumber;

      const basketAfter = await call('GET', '/api/basket', { token: alice });
      expect(basketAfter.json.items).toEqual([]);
      expectProblem(
        await call('POST', '/api/checkout', { token: alice, body: CHECKOUT, headers: { 'idempotency-key': randomUUID() } }),
        422,
        /empty/,
      );
      expectProblem(await call('GET', '/api/checkout/draft', { token: alice }), 422, /empty/);

      const order = await call('GET', `/api/orders/${n}`, { token: alice });
      expect(order.status).toBe(200);
      expect(order.json).toMatchObject({ orderNumber: n, status: 'submitted', city: 'Redmond', total: 58.5 });
      expect(order.json.orderItems[0].pictureUri).toBe('/api/products/1/picture');
      expect(order.json.orderItems[0]).not.toHaveProperty('pictureUrl');
      expect(order.text).not.toContain(stack.catalog.url);

      expectProblem(await call('GET', `/api/orders/${n}`, { token: bob }), 404);
      expectProblem(await call('POST', `/api/orders/${n}/cancel`, { token: bob }), 404);
      const cancel = await call('POST', `/api/orders/${n}/cancel`, { token: alice });
      expect(cancel.status).toBe(200);
      expectProblem(await call('POST', `/api/orders/${n}/cancel`, { token: alice }), 409);
      expect((await call('GET', `/api/orders/${n}`, { token: alice })).json.status).toBe('cancelled');
    });
  });

  describe('cross-cutting', () => {
    it('echoes a safe x-request-id, replaces an unsafe one, and relays it downstream', async () => {
      const safe = await fetch(`${bff.url}/api/home`, { headers: { 'x-request-id': 'trace-123' } });
      expect(safe.headers.get('x-request-id')).toBe('trace-123');
      const unsafe = await fetch(`${bff.url}/api/home`, { headers: { 'x-request-id': 'bad id\twith spaces' } });
      expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('serves liveness and readiness', async () => {
      expect((await call('GET', '/health/live')).status).toBe(200);
      const ready = await call('GET', '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.text).not.toContain('127.0.0.1');
    });
  });
});
