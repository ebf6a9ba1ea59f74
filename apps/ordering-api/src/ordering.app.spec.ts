import { randomUUID } from 'node:crypto';
import { listen, type RunningApp } from '@app/testing';
import {
  CHECKOUT as checkout,
  basketItem as item,
  requestJson,
  startSampleIdentity,
  type JsonRequestOptions,
  type SampleIdentity,
} from '@app/sample-kit/testing';
import { DEMO_USERS, createIdentityApp } from '../../identity-api/src/identity.app';
import { createOrderingApp } from './ordering.app';

const [ALICE, BOB] = DEMO_USERS;

describe('ordering-api (over HTTP, tokens from a real identity-api)', () => {
  let identity: SampleIdentity;
  let ordering: RunningApp;
  let alice: string;
  let bob: string;
  let bobMobile: string;

  const call = (method: string, path: string, opts?: JsonRequestOptions) => requestJson(ordering.url, method, path, opts);

  const placeOrder = (userToken: string, buyerId: string, requestId = randomUUID(), items = [item(1, 2, 19.5), item(2, 1, 8.5)]) =>
    call('POST', '/api/v1/orders/internal/from-checkout', { token: userToken, body: { requestId, buyerId, checkout, items } });

  beforeAll(async () => {
    identity = await startSampleIdentity(createIdentityApp);
    ordering = await listen(await createOrderingApp({ auth: identity.auth }));
    ({ alice, bob, bobMobile } = identity.tokens);
  });

  afterAll(async () => {
    await ordering.close();
    await identity.close();
  });

  it('answers 401 { title, status } without a valid bearer token', async () => {
    for (const path of ['/api/v1/orders', '/api/v1/orders/cardtypes', '/api/v1/orders/1']) {
      const res = await call('GET', path);
      expect(res).toEqual({ status: 401, body: expect.objectContaining({ title: 'Unauthorized', status: 401 }) });
    }
    expect((await call('GET', '/api/v1/orders', { token: 'not.a.jwt' })).status).toBe(401);
    const tampered = alice.slice(0, -4) + (alice.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await call('GET', '/api/v1/orders', { token: tampered })).status).toBe(401);
    expect((await placeOrder('', ALICE.sub)).status).toBe(401);
  });

  it('accepts tokens minted for either BFF', async () => {
    expect(await call('GET', '/api/v1/orders/cardtypes', { token: alice })).toEqual({
      status: 200,
      body: [
        { id: 1, name: 'Amex' },
        { id: 2, name: 'Visa' },
        { id: 3, name: 'MasterCard' },
      ],
    });
    expect((await call('GET', '/api/v1/orders', { token: bobMobile })).status).toBe(200);
  });

  it('creates an order from a checkout, idempotently on requestId', async () => {
    const requestId = randomUUID();
    const first = await placeOrder(alice, ALICE.sub, requestId);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      orderNumber: expect.any(Number),
      date: expect.any(String),
      status: 'submitted',
      description: expect.any(String),
      street: checkout.street,
      city: checkout.city,
      state: checkout.state,
      zipCode: checkout.zipCode,
      country: checkout.country,
      orderItems: [
        { productId: 1, productName: 'Product 1', units: 2, unitPrice: 19.5, pictureUrl: expect.stringContaining('/1/pic') },
        { productId: 2, productName: 'Product 2', units: 1, unitPrice: 8.5, pictureUrl: expect.stringContaining('/2/pic') },
      ],
      total: 47.5,
    });
    expect(new Date(first.body.date).toISOString()).toBe(first.body.date);

    const again = await placeOrder(alice, ALICE.sub, requestId);
    expect(again).toEqual({ status: 200, body: first.body });
    const list = await call('GET', '/api/v1/orders', { token: alice });
    expect(list.body.filter((o: { orderNumber: number }) => o.orderNumber === first.body.orderNumber)).toHaveLength(1);

    const concurrent = randomUUID();
    const both = await Promise.all([placeOrder(alice, ALICE.sub, concurrent), placeOrder(alice, ALICE.sub, concurrent)]);
    expect(both[0].body.orderNumber).toBe(both[1].body.orderNumber);
    expect(both.map((r) => r.status).sort()).toEqual([200, 201]);
  });

  it('numbers orders from 1 upwards and lists only the caller’s', async () => {
    const a = await placeOrder(alice, ALICE.sub);
    const b = await placeOrder(bob, BOB.sub);
    expect(b.body.orderNumber).toBe(a.body.orderNumber + 1);

    const aliceOrders = await call('GET', '/api/v1/orders', { token: alice });
    expect(aliceOrders.status).toBe(200);
    expect(aliceOrders.body[0]).toEqual({ orderNumber: 1, date: expect.any(String), status: 'submitted', total: 47.5 });
    expect(aliceOrders.body.map((o: { orderNumber: number }) => o.orderNumber)).toContain(a.body.orderNumber);
    expect(aliceOrders.body.map((o: { orderNumber: number }) => o.orderNumber)).not.toContain(b.body.orderNumber);

    const bobOrders = await call('GET', '/api/v1/orders', { token: bobMobile });
    expect(bobOrders.body.map((o: { orderNumber: number }) => o.orderNumber)).toEqual([b.body.orderNumber]);

    expect(await call('GET', `/api/v1/orders/${a.body.orderNumber}`, { token: alice })).toEqual({ status: 200, body: a.body });
    expect(await call('GET', `/api/v1/orders/${a.body.orderNumber}`, { token: bob })).toEqual({
      status: 404,
      body: expect.objectContaining({ title: 'Not Found', status: 404 }),
    });
    expect((await call('GET', '/api/v1/orders/99999', { token: alice })).status).toBe(404);
    expect((await call('GET', '/api/v1/orders/abc', { token: alice })).status).toBe(400);
  });

  it('refuses checkouts for someone else and bad bodies', async () => {
    expect((await placeOrder(bob, ALICE.sub)).status).toBe(403);
    expect((await placeOrder(alice, ALICE.sub, randomUUID(), [])).status).toBe(400);
    const badItem = { ...item(1, 0, 10) };
    expect((await placeOrder(alice, ALICE.sub, randomUUID(), [badItem])).status).toBe(400);
    const res = await call('POST', '/api/v1/orders/internal/from-checkout', {
      token: alice,
      body: { requestId: randomUUID(), buyerId: ALICE.sub, checkout: { ...checkout, cardTypeId: 'visa' }, items: [item(1, 1, 1)] },
    });
    expect(res).toEqual({
      status: 400,
      body: expect.objectContaining({ title: 'Bad Request', status: 400, detail: expect.stringContaining('cardTypeId') }),
    });
  });

  it('cancels an order once, refuses shipped and cancelled ones, and hides other users’ orders', async () => {
    const order = (await placeOrder(alice, ALICE.sub)).body;
    const cancelBody = { orderNumber: order.orderNumber };

    expect((await call('PUT', '/api/v1/orders/cancel', { token: alice, body: cancelBody })).status).toBe(400); // no x-requestid
    expect((await call('PUT', '/api/v1/orders/cancel', { token: bob, body: cancelBody, requestId: randomUUID() })).status).toBe(404);

    const requestId = randomUUID();
    const cancelled = await call('PUT', '/api/v1/orders/cancel', { token: alice, body: cancelBody, requestId });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    // A retry of the same command is answered like the first; a new cancel is refused.
    expect((await call('PUT', '/api/v1/orders/cancel', { token: alice, body: cancelBody, requestId })).status).toBe(200);
    expect(await call('PUT', '/api/v1/orders/cancel', { token: alice, body: cancelBody, requestId: randomUUID() })).toEqual({
      status: 400,
      body: expect.objectContaining({ status: 400 }),
    });
    expect((await call('GET', `/api/v1/orders/${order.orderNumber}`, { token: alice })).body.status).toBe('cancelled');

    const shipped = (await placeOrder(alice, ALICE.sub)).body;
    expect(
      (await call('PUT', '/api/v1/orders/ship', { token: alice, body: { orderNumber: shipped.orderNumber }, requestId: randomUUID() }))
        .status,
    ).toBe(200);
    expect(
      (await call('PUT', '/api/v1/orders/cancel', { token: alice, body: { orderNumber: shipped.orderNumber }, requestId: randomUUID() }))
        .status,
    ).toBe(400);
    expect(
      (await call('PUT', '/api/v1/orders/cancel', { token: alice, body: { orderNumber: 'one' }, requestId: randomUUID() })).status,
    ).toBe(400);
  });

  it('drafts an order from basket items without storing it', async () => {
    const before = (await call('GET', '/api/v1/orders', { token: bob })).body.length;
    const res = await call('POST', '/api/v1/orders/draft', {
      token: bob,
      body: { buyerId: BOB.sub, items: [item(3, 3, 0.1), item(4, 1, 0.2), item(3, 1, 0.1)] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      orderItems: [
        { productId: 3, productName: 'Product 3', unitPrice: 0.1, discount: 0, units: 4, pictureUrl: expect.any(String) },
        { productId: 4, productName: 'Product 4', unitPrice: 0.2, discount: 0, units: 1, pictureUrl: expect.any(String) },
      ],
      total: 0.6,
    });
    expect((await call('GET', '/api/v1/orders', { token: bob })).body.length).toBe(before);
    expect((await call('POST', '/api/v1/orders/draft', { token: bob, body: { buyerId: ALICE.sub, items: [] } })).status).toBe(403);
    expect(
      (await call('POST', '/api/v1/orders/draft', { token: bob, body: { buyerId: BOB.sub, items: [{ productId: 'x' }] } })).status,
    ).toBe(400);
  });
});
