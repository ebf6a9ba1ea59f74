import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { listen, startTestServer, type RunningApp, type TestServer } from '@app/testing';
import {
  CHECKOUT as checkout,
  basketItem as item,
  requestJson as call,
  startSampleIdentity,
  type SampleIdentity,
} from '@app/sample-kit/testing';
import { DEMO_USERS, createIdentityApp } from '../../identity-api/src/identity.app';
import { createOrderingApp } from '../../ordering-api/src/ordering.app';
import { createBasketApp, type BasketAppOptions } from './basket.app';
import { TEST_REDIS_URL, openRedisTestNamespace, unreachableUrl, type RedisTestNamespace } from './testing';

const [ALICE, BOB] = DEMO_USERS;
const FROM_CHECKOUT = '/api/v1/orders/internal/from-checkout';

describe('basket-api replicas sharing one Redis (with real identity-api and ordering-api)', () => {
  let identity: SampleIdentity;
  let ordering: RunningApp;
  /** ordering-api behind a recorder that holds each checkout a moment, so duplicates overlap. */
  let orderingDoor: TestServer;
  let ns: RedisTestNamespace;
  let replicas: RunningApp[];
  let alice: string;
  let bob: string;

  const startReplica = async (options: Partial<BasketAppOptions> = {}) =>
    listen(
      await createBasketApp({
        auth: identity.auth,
        orderingUrl: orderingDoor.url,
        redisUrl: TEST_REDIS_URL,
        redisKeyPrefix: ns.keyPrefix,
        ...options,
      }),
    );
  const checkoutCalls = (requestId: string) =>
    orderingDoor.requests.filter((r) => r.url === FROM_CHECKOUT && r.headers['x-requestid'] === requestId);
  const ordersOf = async (token: string) => ((await call(ordering.url, 'GET', '/api/v1/orders', { token })).body as unknown[]).length;

  beforeAll(async () => {
    identity = await startSampleIdentity(createIdentityApp);
    ordering = await listen(await createOrderingApp({ auth: identity.auth }));
    orderingDoor = await startTestServer(async (req, res) => {
      if (req.url === FROM_CHECKOUT) await sleep(300);
      const headers = Object.fromEntries(
        ['authorization', 'content-type', 'x-requestid'].flatMap((h) => (req.headers[h] ? [[h, String(req.headers[h])]] : [])),
      );
      const answer = await fetch(`${ordering.url}${req.url}`, { method: req.method, headers, body: req.body || undefined });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(await answer.text());
    });
    ns = openRedisTestNamespace();
    replicas = [await startReplica(), await startReplica()];
    ({ alice, bob } = identity.tokens);
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    await ns.close();
    await orderingDoor.close();
    await ordering.close();
    await identity.close();
  });

  it('shares baskets: saved through one replica, read and deleted through the other', async () => {
    const [one, other] = replicas;
    const items = [item(1, 2, 19.5), item(9, 1, 12)];
    expect((await call(one.url, 'POST', '/api/v1/basket', { token: bob, body: { buyerId: BOB.sub, items } })).status).toBe(200);
    expect(await call(other.url, 'GET', `/api/v1/basket/${BOB.sub}`, { token: bob })).toEqual({
      status: 200,
      body: { buyerId: BOB.sub, items },
    });
    expect(await ns.keys()).toContain(`${ns.keyPrefix}basket:${BOB.sub}`);

    expect((await call(other.url, 'DELETE', `/api/v1/basket/${BOB.sub}`, { token: bob })).status).toBe(204);
    expect((await call(one.url, 'GET', `/api/v1/basket/${BOB.sub}`, { token: bob })).body).toEqual({ buyerId: BOB.sub, items: [] });
  });

  it('turns the same x-requestid sent to each replica into one order, at once or one after the other', async () => {
    const before = await ordersOf(alice);
    await call(replicas[0].url, 'POST', '/api/v1/basket', {
      token: alice,
      body: { buyerId: ALICE.sub, items: [item(1, 2, 19.5), item(2, 3, 8.5)] },
    });
    const requestId = randomUUID();
    const send = (replica: RunningApp) => call(replica.url, 'POST', '/api/v1/basket/checkout', { token: alice, body: checkout, requestId });

    const together = await Promise.all(replicas.map(send));
    expect(together.map((r) => r.status)).toEqual([202, 202]);
    for (const replica of replicas) expect((await send(replica)).status).toBe(202);

    // Only one replica ever called ordering-api: the other waited on the shared claim, then found it done.
    expect(checkoutCalls(requestId)).toHaveLength(1);
    expect(await ordersOf(alice)).toBe(before + 1);
    for (const replica of replicas) {
      expect((await call(replica.url, 'GET', `/api/v1/basket/${ALICE.sub}`, { token: alice })).body).toEqual({
        buyerId: ALICE.sub,
        items: [],
      });
    }
  });

  it('lets the other replica retry a checkout that failed, without ordering twice', async () => {
    const broken = await startReplica({ orderingUrl: await unreachableUrl('http') });
    try {
      const before = await ordersOf(alice);
      await call(broken.url, 'POST', '/api/v1/basket', { token: alice, body: { buyerId: ALICE.sub, items: [item(3, 1, 12)] } });
      const requestId = randomUUID();
      expect((await call(broken.url, 'POST', '/api/v1/basket/checkout', { token: alice, body: checkout, requestId })).status).toBe(502);
      expect((await call(replicas[1].url, 'POST', '/api/v1/basket/checkout', { token: alice, body: checkout, requestId })).status).toBe(
        202,
      );
      expect((await call(broken.url, 'POST', '/api/v1/basket/checkout', { token: alice, body: checkout, requestId })).status).toBe(202);
      expect(checkoutCalls(requestId)).toHaveLength(1);
      expect(await ordersOf(alice)).toBe(before + 1);
    } finally {
      await broken.close();
    }
  });

  it('answers 503 within seconds, not hanging, when Redis cannot be reached', async () => {
    const cut = await startReplica({ redisUrl: await unreachableUrl('redis'), logger: false });
    try {
      const started = Date.now();
      const res = await call(cut.url, 'GET', `/api/v1/basket/${ALICE.sub}`, { token: alice });
      expect(res).toMatchObject({ status: 503, body: { title: 'Service Unavailable', status: 503 } });
      expect(
        (await call(cut.url, 'POST', '/api/v1/basket/checkout', { token: alice, body: checkout, requestId: randomUUID() })).status,
      ).toBe(503);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await cut.close();
    }
  });

  it('closes its Redis connection when the app closes', async () => {
    const connections = async () =>
      String(await ns.redis.client('LIST'))
        .split('\n')
        .filter((line) => / name=basket-api /.test(line)).length;
    const until = async (expected: number) => {
      for (let i = 0; i < 40 && (await connections()) !== expected; i++) await sleep(25);
      return connections();
    };
    const open = await connections();
    const extra = await startReplica();
    expect(await until(open + 1)).toBe(open + 1);
    await extra.close();
    expect(await until(open)).toBe(open);
  });
});
