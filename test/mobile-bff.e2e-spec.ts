import { randomUUID } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createMobileBff } from '../apps/mobile-bff/src/mobile-bff.app';
import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { CHECKOUT as SAMPLE_CHECKOUT } from '@app/sample-kit/testing';
import { rawGet, startBff, type RunningApp } from '@app/testing';
import { startSampleStack, type SampleStack } from './support/sample-stack';

const { buyer: _buyer, ...CHECKOUT } = SAMPLE_CHECKOUT;

/** Every mobile-bff endpoint of CONTRACTS.md §3 over real HTTP against the sample services. */
describe('mobile-bff end to end', () => {
  let stack: SampleStack;
  let mobile: RunningApp;
  let web: RunningApp;
  let token: string;

  const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${mobile.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  const get = (path: string, headers: Record<string, string> = {}) => rawGet(`${mobile.url}${path}`, headers);
  const auth = () => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    stack = await startSampleStack();
    mobile = await startBff('mobile-bff', createMobileBff, stack.env);
    web = await startBff('web-bff', createWebBff, stack.env);
    token = await stack.identity.token({ sub: `m-${randomUUID()}`, aud: 'mobile-bff' });
  });
  afterAll(async () => {
    await mobile?.close();
    await web?.close();
    await stack?.close();
  });

  describe('home', () => {
    it('answers at most 10 featured products, brands and no basket badge when anonymous', async () => {
      const r = await get('/api/home');
      expect(r.status).toBe(200);
      const home = r.json();
      expect(home.featured.length).toBeLessThanOrEqual(10);
      expect(home.featured.length).toBeGreaterThan(0);
      expect(Object.keys(home.featured[0]).sort()).toEqual(['id', 'inStock', 'name', 'price', 'thumbnailUri']);
      expect(home.featured[0].thumbnailUri).toBe(`/api/products/${home.featured[0].id}/picture`);
      expect(home.brands).toContainEqual({ id: expect.any(Number), name: '.NET' });
      expect(home.basketCount).toBeNull();
      expect(home.degraded).toEqual([]);
      expect(r.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    });

    it('is at most a third of web-bff’s home, uncompressed', async () => {
      const m = await get('/api/home', { 'accept-encoding': 'identity' });
      const w = await rawGet(`${web.url}/api/home`, { 'accept-encoding': 'identity' });
      expect(m.headers['content-encoding']).toBeUndefined();
      expect(m.body.length * 3).toBeLessThanOrEqual(w.body.length);
    });

    it('shows the basket badge to a signed-in buyer, privately', async () => {
      const r = await get('/api/home', auth());
      expect(r.json().basketCount).toBe(0);
      expect(r.headers['cache-control']).toBe('private, no-cache');
    });
  });

  describe('products', () => {
    it('walks the whole catalog with limit=37, every product exactly once, in a stable order', async () => {
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const r = await get(`/api/products?limit=37${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(r.status).toBe(200);
        const page = r.json();
        expect(page.items.length).toBeLessThanOrEqual(37);
        seen.push(...page.items.map((i: { id: number }) => i.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 100);
      const catalog = (await (await fetch(`${stack.catalog.url}/api/v1/catalog/items?pageIndex=0&pageSize=1000`)).json()) as any;
      expect(catalog.count).toBeGreaterThanOrEqual(1000);
      expect(seen).toEqual(catalog.data.map((i: { id: number }) => i.id));
      expect(new Set(seen).size).toBe(seen.length);
      expect(pages).toBe(Math.ceil(catalog.count / 37));
    });

    it('keeps filters in the cursor: brand pages only hold that brand, and the cursor is refused with other filters', async () => {
      const first = (await get('/api/products?brandId=2&limit=5')).json();
      const second = await get(`/api/products?brandId=2&limit=5&cursor=${first.nextCursor}`);
      expect(second.status).toBe(200);
      const ids = [...first.items, ...second.json().items].map((i: { id: number }) => i.id);
      expect(new Set(ids).size).toBe(10);
      const foreign = await get(`/api/products?brandId=3&limit=5&cursor=${first.nextCursor}`);
      expect(foreign.status).toBe(400);
      expect(foreign.json().detail).toMatch(/cursor/);
    });

    it.each([
      ['a forged cursor', () => Buffer.from('{"o":5}').toString('base64url') + '.AAAAAAAAAAAAAAAAAAAAAA'],
      ['garbage', () => 'not-a-cursor'],
    ])('refuses %s with 400 naming cursor', async (_n, make) => {
      const r = await get(`/api/products?cursor=${encodeURIComponent(make())}`);
      expect(r.status).toBe(400);
      expect(r.headers['content-type']).toMatch(/problem\+json/);
      expect(r.json().errors[0].field).toBe('cursor');
    });

    it('refuses an edited cursor', async () => {
      const { nextCursor } = (await get('/api/products?limit=3')).json();
      const [, mac] = nextCursor.split('.');
      const edited = `${Buffer.from('{"o":900}').toString('base64url')}.${mac}`;
      expect((await get(`/api/products?limit=3&cursor=${edited}`)).status).toBe(400);
    });

    it('serves sparse fieldsets and refuses unknown fields', async () => {
      const list = (await get('/api/products?limit=3&fields=id,name,price')).json();
      expect(list.items.every((i: object) => Object.keys(i).sort().join() === 'id,name,price')).toBe(true);
      const detail = (await get('/api/products/1?fields=name,inStock')).json();
      expect(detail).toEqual({ name: '.NET Bot Black Hoodie', inStock: expect.any(Boolean), degraded: [] });
      const bad = await get('/api/products?fields=id,secret');
      expect(bad.status).toBe(400);
      expect(bad.json().detail).toMatch(/secret/);
      expect((await get('/api/products/1?fields=description,price')).json()).toEqual({
        description: expect.any(String),
        price: 19.5,
        degraded: [],
      });
    });

    it('answers the product page with basketQuantity', async () => {
      const anon = (await get('/api/products/1')).json();
      expect(anon).toMatchObject({
        id: 1,
        name: '.NET Bot Black Hoodie',
        price: 19.5,
        pictureUri: '/api/products/1/picture',
        basketQuantity: null,
        degraded: [],
      });
      expect((await get('/api/products/999999')).status).toBe(404);
    });

    it.each([
      ['/api/products?limit=0', 'limit'],
      ['/api/products?limit=51', 'limit'],
      ['/api/products?limit=two', 'limit'],
      ['/api/products?brandId=-1', 'brandId'],
      ['/api/products/abc', 'id'],
      ['/api/orders?limit=99', 'limit'],
    ])('GET %s → 400 naming %s', async (path, field) => {
      const r = await get(path, auth());
      expect(r.status).toBe(400);
      expect(r.json().detail).toMatch(new RegExp(field));
    });
  });

  describe('conditional requests and compression', () => {
    it('answers 304 with no body when If-None-Match matches the ETag', async () => {
      const first = await get('/api/products?limit=5');
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^W\/".+"$/);
      const again = await get('/api/products?limit=5', { 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
      expect((await get('/api/products?limit=6', { 'if-none-match': etag })).status).toBe(200);
      const basket = await get('/api/basket', auth());
      expect(basket.headers.etag).toBeDefined();
      expect((await get('/api/basket', { ...auth(), 'if-none-match': basket.headers.etag as string })).status).toBe(304);
    });

    it('compresses answers over 1 KiB with br or gzip, and leaves small ones alone', async () => {
      const gz = await get('/api/products?limit=50', { 'accept-encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      const plain = await get('/api/products?limit=50', { 'accept-encoding': 'identity' });
      expect(plain.body.length).toBeGreaterThan(1024);
      expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
      const br = await get('/api/products?limit=50', { 'accept-encoding': 'br, gzip' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
      expect(br.headers.etag).toBe(plain.headers.etag);
      const small = await get('/api/products?limit=1', { 'accept-encoding': 'gzip' });
      expect(small.headers['content-encoding']).toBeUndefined();
    });
  });

  describe('basket, checkout and orders', () => {
    it('adds, updates and removes lines, answering the compact basket', async () => {
      let r = await send('POST', '/api/basket/items', { productId: 2, quantity: 3 });
      expect(r.status).toBe(200);
      expect(r.json).toEqual({
        items: [
          {
            id: expect.any(String),
            productId: 2,
            name: '.NET Black & White Mug',
            price: 8.5,
            quantity: 3,
            thumbnailUri: '/api/products/2/picture',
          },
        ],
        count: 3,
        total: 25.5,
        degraded: [],
      });
      const lineId = r.json.items[0].id;
      r = await send('PUT', '/api/basket/items', { updates: [{ basketItemId: lineId, quantity: 1 }] });
      expect(r.json.count).toBe(1);
      r = await send('POST', '/api/basket/items', { productId: 1 });
      expect(r.json.count).toBe(2);
      r = await send('DELETE', `/api/basket/items/${lineId}`);
      expect(r.json.items.map((i: { productId: number }) => i.productId)).toEqual([1]);
      expect((await send('POST', '/api/basket/items', { productId: 1, quantity: 100 })).status).toBe(400);
      expect((await get('/api/basket', auth())).json().count).toBe(1);
    });

    it('checks out and pages the order history newest first', async () => {
      for (const productId of [1, 3]) {
        await send('POST', '/api/basket/items', { productId });
        const r = await send('POST', '/api/checkout', CHECKOUT, { 'idempotency-key': randomUUID() });
        expect(r.status).toBe(202);
      }
      const first = (await get('/api/orders?limit=1', auth())).json();
      expect(first.items).toHaveLength(1);
      expect(first.items[0]).toEqual({
        orderNumber: expect.any(Number),
        date: expect.any(String),
        status: 'submitted',
        total: expect.any(Number),
      });
      const second = (await get(`/api/orders?limit=1&cursor=${first.nextCursor}`, auth())).json();
      expect(second.items[0].orderNumber).toBeLessThan(first.items[0].orderNumber);
      expect(second.nextCursor).toBeNull();
      // Another buyer cannot replay the cursor.
      const other = await stack.identity.token({ sub: 'someone-else', aud: 'mobile-bff' });
      expect((await get(`/api/orders?limit=1&cursor=${first.nextCursor}`, { authorization: `Bearer ${other}` })).status).toBe(400);
      // A products cursor is not an orders cursor.
      const productCursor = (await get('/api/products?limit=1')).json().nextCursor;
      expect((await get(`/api/orders?cursor=${productCursor}`, auth())).status).toBe(400);
    });
  });
});
