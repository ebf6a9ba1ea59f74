import { randomUUID } from 'node:crypto';
import { createMobileBff } from '../apps/mobile-bff/src/mobile-bff.app';
import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { CHECKOUT as SAMPLE_CHECKOUT } from '@app/sample-kit/testing';
import { sendJson, startBff, startTestServer, type RunningApp, type TestServer } from '@app/testing';
import { startSampleStack, type SampleStack } from './support/sample-stack';

const { buyer: _buyer, ...CHECKOUT } = SAMPLE_CHECKOUT;
const PRODUCT = 7;

/**
 * What a shopper sees is what happens: prices, stock and error messages, against the sample services
 * with a catalog whose price and stock of one product the test changes (a real server in front of the
 * sample catalog that rewrites that product in every answer).
 */
describe('client-facing correctness (web-bff, sample services)', () => {
  let stack: SampleStack;
  let catalog: TestServer;
  let web: RunningApp;
  let mobile: RunningApp;
  let override: { price?: number; availableStock?: number } = {};

  const rewrite = (item: any) => (item && item.id === PRODUCT ? { ...item, ...override } : item);

  const call = async (
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    headers: Record<string, string> = {},
    base = web.url,
  ) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...headers,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json().catch(() => undefined)) as any };
  };

  beforeAll(async () => {
    stack = await startSampleStack();
    catalog = await startTestServer(async (req, res) => {
      const upstream = await fetch(`${stack.catalog.url}${req.url}`);
      const type = upstream.headers.get('content-type') ?? '';
      if (!type.includes('json')) {
        res.writeHead(upstream.status, { 'content-type': type }).end(Buffer.from(await upstream.arrayBuffer()));
        return;
      }
      const body = (await upstream.json()) as any;
      const out = Array.isArray(body)
        ? body.map(rewrite)
        : Array.isArray(body?.data)
          ? { ...body, data: body.data.map(rewrite) }
          : rewrite(body);
      sendJson(res, upstream.status, out);
    });
    const env = { ...stack.env, CATALOG_URL: catalog.url, CACHE_TTL_MS: '0' };
    web = await startBff('web-bff', createWebBff, env);
    mobile = await startBff('mobile-bff', createMobileBff, env);
  });
  afterEach(() => (override = {}));
  afterAll(async () => {
    await web?.close();
    await mobile?.close();
    await catalog?.close();
    await stack?.close();
  });

  it('charges the price it shows: basket, draft and the placed order all use the catalog’s current price', async () => {
    const token = await stack.identity.token({ sub: 'price-shopper', aud: 'web-bff' });
    override = { availableStock: 50 };
    const added = await call('POST', '/api/basket/items', token, { productId: PRODUCT, quantity: 2 });
    expect(added.status).toBe(200);
    const addedAt = added.json.items[0].unitPrice as number;

    override = { availableStock: 50, price: addedAt + 10 };
    const basket = await call('GET', '/api/basket', token);
    expect(basket.json.items[0]).toMatchObject({
      unitPrice: addedAt + 10,
      oldUnitPrice: addedAt,
      priceChanged: true,
      lineTotal: (addedAt + 10) * 2,
    });
    expect(basket.json.total).toBe((addedAt + 10) * 2);

    const draft = await call('GET', '/api/checkout/draft', token);
    expect(draft.status).toBe(200);
    expect(draft.json.items).toEqual([expect.objectContaining({ productId: PRODUCT, unitPrice: addedAt + 10, units: 2 })]);
    expect(draft.json.total).toBe(basket.json.total);

    const placed = await call('POST', '/api/checkout', token, CHECKOUT, { 'idempotency-key': randomUUID() });
    expect(placed.status).toBe(202);
    const orders = await call('GET', '/api/orders', token);
    expect(orders.json.orders).toHaveLength(1);
    expect(orders.json.orders[0].total).toBe(basket.json.total);
    const order = await call('GET', `/api/orders/${orders.json.orders[0].orderNumber}`, token);
    expect(order.json.orderItems).toEqual([
      expect.objectContaining({ productId: PRODUCT, unitPrice: addedAt + 10, units: 2, pictureUri: `/api/products/${PRODUCT}/picture` }),
    ]);
  });

  it('refuses to add or raise beyond availableStock with a 422 naming the stock, leaving the basket unchanged', async () => {
    const token = await stack.identity.token({ sub: 'stock-shopper', aud: 'web-bff' });
    override = { availableStock: 3 };
    const tooMany = await call('POST', '/api/basket/items', token, { productId: PRODUCT, quantity: 4 });
    expect(tooMany.status).toBe(422);
    expect(tooMany.json.detail).toMatch(/Only 3 .* in stock/);
    expect((await call('GET', '/api/basket', token)).json.items).toEqual([]);

    const three = await call('POST', '/api/basket/items', token, { productId: PRODUCT, quantity: 3 });
    expect(three.status).toBe(200);
    const line = three.json.items[0];
    expect(line).toMatchObject({ quantity: 3, availableStock: 3 });

    const oneMore = await call('POST', '/api/basket/items', token, { productId: PRODUCT, quantity: 1 });
    expect(oneMore.status).toBe(422);
    expect(oneMore.json.detail).toMatch(/Only 3 .* in stock; the basket line would hold 4/);
    const raised = await call('PUT', '/api/basket/items', token, { updates: [{ basketItemId: line.id, quantity: 4 }] });
    expect(raised.status).toBe(422);
    expect(raised.json.detail).toMatch(/Only 3 .* in stock/);
    expect((await call('GET', '/api/basket', token)).json.items[0].quantity).toBe(3);

    // The same rule on mobile-bff (shared use-case).
    const mobileToken = await stack.identity.token({ sub: 'stock-shopper', aud: 'mobile-bff' });
    expect((await call('POST', '/api/basket/items', mobileToken, { productId: PRODUCT, quantity: 1 }, {}, mobile.url)).status).toBe(422);

    // Stock falls below the line: the basket still shows the line, with the stock that is left.
    override = { availableStock: 1 };
    const lowered = await call('GET', '/api/basket', token);
    expect(lowered.json.items).toEqual([expect.objectContaining({ id: line.id, quantity: 3, availableStock: 1 })]);
    // Lowering needs no stock check; raising still does.
    expect((await call('PUT', '/api/basket/items', token, { updates: [{ basketItemId: line.id, quantity: 2 }] })).status).toBe(200);

    override = { availableStock: 0 };
    const soldOut = await call('POST', '/api/basket/items', token, { productId: PRODUCT, quantity: 1 });
    expect(soldOut.status).toBe(422);
    expect(soldOut.json.detail).toMatch(/out of stock/);
    expect((await call('GET', '/api/basket', token)).json.items).toEqual([expect.objectContaining({ quantity: 2, availableStock: 0 })]);
  });

  it('names the real problem in validation messages', async () => {
    const token = await stack.identity.token({ sub: 'typo-shopper', aud: 'web-bff' });
    const cases: Array<[string, string, unknown, RegExp, string]> = [
      ['GET', '/api/products?pageSize=abc', undefined, /^pageSize must be an integer$/, web.url],
      ['GET', '/api/products?pageSize=1.5', undefined, /^pageSize must be an integer$/, web.url],
      ['GET', '/api/products?pageSize=0', undefined, /^pageSize must be between 1 and 50$/, web.url],
      ['GET', '/api/home?brandId=x', undefined, /^brandId must be an integer$/, web.url],
      ['POST', '/api/basket/items', { productId: 1, quantity: '2' }, /^quantity must be an integer$/, web.url],
      ['POST', '/api/basket/items', { productId: 1, quantity: 120 }, /^quantity must be between 1 and 99$/, web.url],
      ['GET', '/api/products?limit=abc', undefined, /^limit must be an integer$/, mobile.url],
    ];
    for (const [method, path, body, message, base] of cases) {
      const r = await call(method, path, base === web.url ? token : undefined, body, {}, base);
      expect({ path, status: r.status, message: r.json.errors?.[0]?.message }).toEqual({
        path,
        status: 400,
        message: expect.stringMatching(message),
      });
      expect(r.json.errors).toHaveLength(1);
    }
  });

  it('uses one name per concept: picture links are pictureUri in web-bff (thumbnailUri in mobile lists), never pictureUrl', async () => {
    for (const base of [web.url, mobile.url]) {
      const text = JSON.stringify(await (await fetch(`${base}/docs-json`)).json());
      expect(text).not.toMatch(/"pictureUrl"/);
    }
    const home = await call('GET', '/api/home?pageSize=1');
    expect(home.json.catalog.items[0].pictureUri).toMatch(/^\/api\/products\/\d+\/picture$/);
  });
});
