import { randomUUID } from 'node:crypto';
import { listen, type RunningApp } from '@app/testing';
import {
  CHECKOUT as checkout,
  basketItem as item,
  requestJson as call,
  startSampleIdentity,
  type JsonRequestOptions,
  type SampleIdentity,
} from '@app/sample-kit/testing';
import { DEMO_USERS, createIdentityApp } from '../../identity-api/src/identity.app';
import { createOrderingApp } from '../../ordering-api/src/ordering.app';
import { createBasketApp } from './basket.app';
import { unreachableUrl } from './testing';

const [ALICE, BOB] = DEMO_USERS;

describe('basket-api (over HTTP, with real identity-api and ordering-api)', () => {
  let identity: SampleIdentity;
  let ordering: RunningApp;
  let basket: RunningApp;
  let alice: string, bob: string, bobMobile: string;

  const api = (method: string, path: string, opts?: JsonRequestOptions) => call(basket.url, method, path, opts);
  const ordersOf = async (userToken: string) =>
    (await call(ordering.url, 'GET', '/api/v1/orders', { token: userToken })).body as Array<{ orderNumber: number; total: number }>;

  beforeAll(async () => {
    identity = await startSampleIdentity(createIdentityApp);
    ordering = await listen(await createOrderingApp({ auth: identity.auth }));
    basket = await listen(await createBasketApp({ auth: identity.auth, orderingUrl: ordering.url }));
    ({ alice, bob, bobMobile } = identity.tokens);
  });

  afterAll(async () => {
    await basket.close();
    await ordering.close();
    await identity.close();
  });

  it('answers 401 { title, status } without a valid bearer token', async () => {
    const requests: Array<[string, string, unknown?]> = [
      ['GET', `/api/v1/basket/${ALICE.sub}`],
      ['POST', '/api/v1/basket', { buyerId: ALICE.sub, items: [] }],
      ['POST', '/api/v1/basket/checkout', checkout],
      ['DELETE', `/api/v1/basket/${ALICE.sub}`],
    ];
    for (const [method, path, body] of requests) {
      const res = await api(method, path, { body, requestId: randomUUID() });
      expect({ method, path, status: res.status, body: res.body }).toEqual({
        method,
        path,
        status: 401,
        body: expect.objectContaining({ title: 'Unauthorized', status: 401 }),
      });
    }
    expect((await api('GET', `/api/v1/basket/${ALICE.sub}`, { token: 'x.y.z' })).status).toBe(401);
  });

  it('answers an empty basket for a new buyer, and 403 for someone else’s', async () => {
    expect(await api('GET', `/api/v1/basket/${BOB.sub}`, { token: bob })).toMatchObject({
      status: 200,
      body: { buyerId: BOB.sub, items: [] },
    });
    expect((await api('GET', `/api/v1/basket/${ALICE.sub}`, { token: bob })).status).toBe(403);
    const raw = await fetch(`${basket.url}/api/v1/basket/${ALICE.sub}`, { headers: { authorization: `Bearer ${alice}` } });
    expect(raw.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('stores a basket per user, exactly in the contract’s shape', async () => {
    const items = [item(1, 2, 19.5), item(9, 1, 12)];
    const saved = await api('POST', '/api/v1/basket', {
      token: bob,
      body: { buyerId: BOB.sub, items: items.map((i) => ({ ...i, extra: 'dropped' })), junk: 1 },
    });
    expect(saved).toMatchObject({ status: 200, body: { buyerId: BOB.sub, items } });
    expect(saved.body).not.toHaveProperty('junk');
    expect(saved.body.items[0]).not.toHaveProperty('extra');

    expect((await api('GET', `/api/v1/basket/${BOB.sub}`, { token: bobMobile })).body).toEqual({ buyerId: BOB.sub, items });
    expect((await api('GET', `/api/v1/basket/${ALICE.sub}`, { token: alice })).body).toEqual({ buyerId: ALICE.sub, items: [] });
    expect((await api('POST', '/api/v1/basket', { token: alice, body: { buyerId: BOB.sub, items: [] } })).status).toBe(403);
  });

  it('rejects bad basket shapes with 400', async () => {
    const good = item(1, 1, 10);
    const { pictureUrl: _omitted, ...noPicture } = good;
    const badBodies: unknown[] = [
      { buyerId: ALICE.sub },
      { buyerId: ALICE.sub, items: 'none' },
      { buyerId: ALICE.sub, items: [null] },
      { buyerId: ALICE.sub, items: [7] },
      { buyerId: ALICE.sub, items: [{ ...good, quantity: 0 }] },
      { buyerId: ALICE.sub, items: [{ ...good, quantity: 1.5 }] },
      { buyerId: ALICE.sub, items: [{ ...good, productId: 2.5 }] },
      { buyerId: ALICE.sub, items: [{ ...good, productId: '2' }] },
      { buyerId: ALICE.sub, items: [{ ...good, unitPrice: -1 }] },
      { buyerId: ALICE.sub, items: [{ ...good, oldUnitPrice: 'cheap' }] },
      { buyerId: ALICE.sub, items: [{ ...good, id: 5 }] },
      { buyerId: ALICE.sub, items: [noPicture] },
      { items: [good] },
      [good],
    ];
    for (const body of badBodies) {
      const res = await api('POST', '/api/v1/basket', { token: alice, body });
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body).toMatchObject({ title: 'Bad Request', status: 400 });
    }
    const notJson = await fetch(`${basket.url}/api/v1/basket`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' },
      body: '{"buyerId":',
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ status: 400 });
  });

  it('checks out into exactly one order, end to end, and empties the basket', async () => {
    const before = await ordersOf(alice);
    await api('POST', '/api/v1/basket', { token: alice, body: { buyerId: ALICE.sub, items: [item(1, 2, 19.5), item(2, 3, 8.5)] } });

    const requestId = randomUUID();
    const first = await api('POST', '/api/v1/basket/checkout', { token: alice, body: checkout, requestId });
    expect(first.status).toBe(202);
    expect(first.body === undefined || JSON.stringify(first.body) === '{}').toBe(true);

    const after = await ordersOf(alice);
    expect(after).toHaveLength(before.length + 1);
    const placed = after[after.length - 1];
    expect(placed.total).toBe(64.5);
    const order = (await call(ordering.url, 'GET', `/api/v1/orders/${placed.orderNumber}`, { token: alice })).body;
    expect(order).toMatchObject({ status: 'submitted', street: checkout.street, city: checkout.city, country: checkout.country });
    expect(order.orderItems.map((i: { productId: number; units: number }) => [i.productId, i.units])).toEqual([
      [1, 2],
      [2, 3],
    ]);
    expect((await api('GET', `/api/v1/basket/${ALICE.sub}`, { token: alice })).body).toEqual({ buyerId: ALICE.sub, items: [] });

    // The same key again: 202, nothing new.
    expect((await api('POST', '/api/v1/basket/checkout', { token: alice, body: checkout, requestId })).status).toBe(202);
    expect(await ordersOf(alice)).toHaveLength(before.length + 1);
    expect(await ordersOf(bob)).toEqual(expect.not.arrayContaining([expect.objectContaining({ orderNumber: placed.orderNumber })]));
  });

  it('places one order when the same checkout arrives twice at once', async () => {
    const before = await ordersOf(bobMobile);
    await api('POST', '/api/v1/basket', { token: bobMobile, body: { buyerId: BOB.sub, items: [item(5, 1, 8.5)] } });
    const requestId = randomUUID();
    const results = await Promise.all(
      [1, 2, 3].map(() => api('POST', '/api/v1/basket/checkout', { token: bobMobile, body: checkout, requestId })),
    );
    expect(results.map((r) => r.status)).toEqual([202, 202, 202]);
    expect(await ordersOf(bob)).toHaveLength(before.length + 1);
  });

  it('refuses a checkout without a UUID x-requestid, with a bad body, or of an empty basket', async () => {
    await api('POST', '/api/v1/basket', { token: alice, body: { buyerId: ALICE.sub, items: [item(3, 1, 12)] } });
    expect((await api('POST', '/api/v1/basket/checkout', { token: alice, body: checkout })).status).toBe(400);
    expect((await api('POST', '/api/v1/basket/checkout', { token: alice, body: checkout, requestId: 'not-a-uuid' })).status).toBe(400);
    const { city: _city, ...noCity } = checkout;
    expect((await api('POST', '/api/v1/basket/checkout', { token: alice, body: noCity, requestId: randomUUID() })).status).toBe(400);
    expect(
      (
        await api('POST', '/api/v1/basket/checkout', {
          token: alice,
          body: { ...checkout, cardExpiration: 'soon' },
          requestId: randomUUID(),
        })
      ).status,
    ).toBe(400);
    expect((await api('GET', `/api/v1/basket/${ALICE.sub}`, { token: alice })).body.items).toHaveLength(1);

    await api('DELETE', `/api/v1/basket/${ALICE.sub}`, { token: alice });
    const empty = await api('POST', '/api/v1/basket/checkout', { token: alice, body: checkout, requestId: randomUUID() });
    expect(empty).toMatchObject({ status: 400, body: { title: 'Bad Request', status: 400, detail: 'The basket is empty' } });
  });

  it('deletes a basket with 204, only the caller’s', async () => {
    await api('POST', '/api/v1/basket', { token: bob, body: { buyerId: BOB.sub, items: [item(4, 1, 12)] } });
    expect((await api('DELETE', `/api/v1/basket/${BOB.sub}`, { token: alice })).status).toBe(403);
    const res = await api('DELETE', `/api/v1/basket/${BOB.sub}`, { token: bob });
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect((await api('GET', `/api/v1/basket/${BOB.sub}`, { token: bob })).body.items).toEqual([]);
  });

  it('answers 502 and keeps the basket when ordering-api is unreachable', async () => {
    const lonely = await listen(await createBasketApp({ auth: identity.auth, orderingUrl: await unreachableUrl('http') }));
    try {
      await call(lonely.url, 'POST', '/api/v1/basket', { token: alice, body: { buyerId: ALICE.sub, items: [item(1, 1, 19.5)] } });
      const res = await call(lonely.url, 'POST', '/api/v1/basket/checkout', { token: alice, body: checkout, requestId: randomUUID() });
      expect(res).toMatchObject({ status: 502, body: { title: 'Bad Gateway', status: 502 } });
      expect((await call(lonely.url, 'GET', `/api/v1/basket/${ALICE.sub}`, { token: alice })).body.items).toHaveLength(1);
    } finally {
      await lonely.close();
    }
  });
});
