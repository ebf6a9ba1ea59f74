import type { Socket } from 'node:net';
import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { startBff, startContractDouble, TestIdentity, bffEnv, type TestServer } from '@app/testing';
import { openSocket, parseAnswer, sendRaw, startBuiltBff, type BuiltBff, type WireAnswer } from './support/built-bff';

/**
 * Issue 9: hostile clients at the HTTP edge, against the built web-bff over real sockets. Timeouts
 * are set short through their variables so the slow-client test is quick.
 */
const LIMITS = {
  HEADERS_TIMEOUT_MS: '1500',
  CLIENT_REQUEST_TIMEOUT_MS: '2500',
  KEEP_ALIVE_TIMEOUT_MS: '1500',
  RATE_LIMIT_MAX: '10',
  RATE_LIMIT_WINDOW_MS: '60000',
  CACHE_TTL_MS: '0',
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function expectProblem(a: Pick<WireAnswer, 'status' | 'headers' | 'body'>, status: number): Record<string, unknown> {
  expect(a.status).toBe(status);
  expect(a.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(a.headers['x-content-type-options']).toBe('nosniff');
  const body = JSON.parse(a.body);
  expect(Object.keys(body)).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance', 'requestId']));
  expect(body.status).toBe(status);
  expect(typeof body.detail).toBe('string');
  expect(body.requestId).toBe(a.headers['x-request-id']);
  expect(a.body).not.toMatch(/FST_|fastify|stack|at \//i);
  return body;
}

describe('hostile clients at the edge of the built web-bff', () => {
  let identity: TestIdentity;
  let double: TestServer;
  let bff: BuiltBff;

  beforeAll(async () => {
    identity = await TestIdentity.start();
    double = await startContractDouble();
    bff = await startBuiltBff('web-bff', bffEnv(identity, double.url, LIMITS));
  }, 30_000);
  afterAll(async () => {
    await bff?.stop();
    await double?.close();
    await identity?.close();
  });

  describe('1. deep JSON nesting', () => {
    const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
    const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n);

    it.each([
      ['POST', '/api/basket/items', 'a 5,000-level object', deepObject(5000)],
      ['POST', '/api/basket/items', 'a 20,000-level array', deepArray(20000)],
      ['POST', '/api/basket/items', 'an extra field nested 5,000 levels', `{"productId":1,"quantity":1,"x":${deepObject(5000)}}`],
      ['PUT', '/api/basket/items', 'updates nested 5,000 levels', `{"updates":[{"basketItemId":"1","quantity":${deepArray(5000)}}]}`],
      ['POST', '/api/checkout', '33 levels, one over the limit', `{"x":${deepArray(32)}}`],
    ])('%s %s with %s: 400 problem+json naming the limit, nothing sent downstream', async (method, path, _what, body) => {
      const token = await identity.token({ sub: 'deep-user' });
      const before = double.requests.length;
      const r = await fetch(`${bff.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': 'deep-1' },
        body,
      });
      const problem = expectProblem({ status: r.status, headers: Object.fromEntries(r.headers), body: await r.text() }, 400);
      expect(problem.detail).toMatch(/deeper than 32 levels/);
      expect(double.requests.length).toBe(before);
    });

    it('never answers 5xx for a body under BODY_LIMIT_BYTES, whatever its shape', async () => {
      const token = await identity.token({ sub: 'shape-user' });
      const bodies = [
        deepObject(32),
        `{"productId":1,"quantity":1,"x":${deepObject(31)}}`,
        `{"productId":1,"quantity":${deepArray(31)}}`,
        `{"updates":${'['.repeat(31)}${']'.repeat(31)}}`,
        `[${'1,'.repeat(30000)}1]`,
        `{"updates":[${'{"basketItemId":"1","quantity":1},'.repeat(1500)}{}]}`,
        '{"__proto__":{"admin":true}}',
        '{"constructor":{"prototype":{"admin":true}}}',
        '"just a string"',
        'null',
        '{"productId":1e309,"quantity":-0}',
        `{"productId":"${'\\u0000'.repeat(5000)}"}`,
      ];
      const fiveHundreds: string[] = [];
      for (const [i, body] of bodies.entries()) {
        for (const [method, path] of [
          ['POST', '/api/basket/items'],
          ['PUT', '/api/basket/items'],
          ['POST', '/api/checkout'],
        ]) {
          const r = await fetch(`${bff.url}${path}`, {
            method,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `shape-${i}` },
            body,
          });
          await r.text();
          if (r.status >= 500) fiveHundreds.push(`${method} ${path} ${body.slice(0, 50)} → ${r.status}`);
        }
      }
      expect(fiveHundreds).toEqual([]);
    });
  });

  describe('2. slow and silent clients', () => {
    it('closes 200 slowloris, slow-body and silent sockets in time, while a normal request is answered at once', async () => {
      const token = await identity.token({ sub: 'slow-body' });
      const timers: NodeJS.Timeout[] = [];
      const sockets = await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          const kind = ['slowloris', 'slow-body', 'silent'][i % 3];
          const openedAt = Date.now();
          const socket = await openSocket(bff.port);
          const entry = { kind, socket, openedAt, closedAt: undefined as number | undefined, data: [] as Buffer[] };
          socket.on('data', (c: Buffer) => entry.data.push(c));
          socket.on('error', () => undefined);
          socket.on('close', () => (entry.closedAt = Date.now()));
          if (kind === 'slowloris') {
            socket.write('GET /api/home HTTP/1.1\r\nHost: x\r\n');
            timers.push(setInterval(() => socket.writable && socket.write('X'), 300));
          } else if (kind === 'slow-body') {
            socket.write(
              `POST /api/basket/items HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{`,
            );
            timers.push(setInterval(() => socket.writable && socket.write(' '), 300));
          }
          return entry;
        }),
      );
      try {
        // All 200 held open; a normal request is still answered, well before any of them times out.
        const started = Date.now();
        const normal = await fetch(`${bff.url}/api/home`);
        await normal.text();
        expect(normal.status).toBe(200);
        expect(sockets.filter((s) => s.closedAt !== undefined)).toHaveLength(0);
        expect(Date.now() - started).toBeLessThan(1500);

        // Headers: 1.5 s; whole request: 2.5 s; Node checks every 375 ms. All closed within 5 s of opening.
        const deadline = Math.min(...sockets.map((s) => s.openedAt)) + 5000;
        while (Date.now() < deadline && sockets.some((s) => s.closedAt === undefined)) await sleep(50);
        const open = sockets.filter((s) => s.closedAt === undefined).map((s) => s.kind);
        expect(open).toEqual([]);
        for (const s of sockets) {
          const lifetime = s.closedAt! - s.openedAt;
          // Not closed early: the slow body had its headers in time, so it gets the whole-request time.
          expect(lifetime).toBeGreaterThanOrEqual(s.kind === 'slow-body' ? 2400 : 1400);
          // Each is told why before it is closed.
          const answer = parseAnswer(Buffer.concat(s.data));
          expect(answer).toBeDefined();
          expectProblem(answer!, 408);
        }
      } finally {
        for (const t of timers) clearInterval(t);
        for (const s of sockets) s.socket.destroy();
      }
    }, 20_000);

    it('keeps an active keep-alive connection past the request timeout, and closes it once idle past KEEP_ALIVE_TIMEOUT_MS', async () => {
      const socket = await openSocket(bff.port);
      let closedAt: number | undefined;
      socket.on('close', () => (closedAt = Date.now()));
      socket.on('error', () => undefined);
      let buffered = Buffer.alloc(0);
      socket.on('data', (c: Buffer) => (buffered = Buffer.concat([buffered, c])));
      try {
        // 6 requests 700 ms apart: 3.5 s on one connection, longer than the 2.5 s request timeout.
        for (let i = 0; i < 6; i++) {
          buffered = Buffer.alloc(0);
          socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
          const until = Date.now() + 2000;
          while (!parseAnswer(buffered) && Date.now() < until) await sleep(10);
          expect(parseAnswer(buffered)?.status).toBe(200);
          expect(closedAt).toBeUndefined();
          if (i < 5) await sleep(700);
        }
        const idleSince = Date.now();
        while (closedAt === undefined && Date.now() - idleSince < 4000) await sleep(50);
        expect(closedAt).toBeDefined();
        expect(closedAt! - idleSince).toBeGreaterThanOrEqual(1200);
      } finally {
        socket.destroy();
      }
    }, 15_000);
  });

  describe('3. errors before routing', () => {
    const big = 'a'.repeat(20_000);
    it.each([
      ['bad percent-encoding', 400, 'GET /api/products/%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n'],
      ['a path segment over the parameter limit', 414, `GET /api/products/${'9'.repeat(150)} HTTP/1.1\r\nHost: x\r\n\r\n`],
      ['oversized headers', 431, `GET /api/home HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\n\r\n`],
      ['an oversized URL', 414, `GET /api/home?q=${big} HTTP/1.1\r\nHost: x\r\n\r\n`],
      [
        'Content-Length with Transfer-Encoding (smuggling)',
        400,
        'POST /api/basket/items HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      ],
      [
        'two different Content-Lengths',
        400,
        'POST /api/basket/items HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
      ],
      ['a bare CR', 400, 'GET /api/home HTTP/1.1\rHost: x\r\n\r\n'],
      ['a NUL in the path', 400, 'GET /api/ho\0me HTTP/1.1\r\nHost: x\r\n\r\n'],
      ['an obsolete line folding', 400, 'GET /api/home HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  folded\r\n\r\n'],
      ['garbage', 400, 'HELLO\r\n\r\n'],
    ])('%s → %d problem+json with the usual headers, connection closed', async (_what, status, bytes) => {
      const answer = await sendRaw(bff.port, bytes);
      const body = expectProblem(answer, status);
      expect(typeof body.instance).toBe('string');
      expect(answer.headers['strict-transport-security']).toMatch(/max-age/);
      expect(answer.headers.connection).toBe('close');
      expect(answer.closed).toBe(true);
    });

    it('keeps serving after each of them', async () => {
      expect((await fetch(`${bff.url}/health/live`)).status).toBe(200);
    });
  });

  describe('4. invalid tokens are rate-limited', () => {
    it('counts every refused token against the client address, then answers 429', async () => {
      // From 127.0.0.2: a budget of its own, apart from the other tests' 127.0.0.1.
      const forged = await identity.tokenFromUnknownKey({ sub: 'mallory' });
      const attempts = [
        `Bearer ${forged}`,
        `Bearer ${identity.unsignedToken({ sub: 'mallory' })}`,
        `Bearer ${identity.hs256WithPublicKey({ sub: 'mallory' })}`,
        'Bearer not-a-jwt',
        'Basic bWFsbG9yeTpndWVzcw==',
      ];
      const statuses: number[] = [];
      for (let i = 0; i < 15; i++) {
        const answer = await sendRaw(
          bff.port,
          `GET /api/basket HTTP/1.1\r\nHost: x\r\nAuthorization: ${attempts[i % attempts.length]}\r\nConnection: close\r\n\r\n`,
          1000,
          '127.0.0.2',
        );
        statuses.push(answer.status);
        if (answer.status === 429) {
          expectProblem(answer, 429);
          expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
        }
      }
      expect(statuses).toEqual([...Array(10).fill(401), ...Array(5).fill(429)]);
      // The same address, now without a token: its budget is spent.
      const anonymous = await sendRaw(bff.port, 'GET /api/home HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 1000, '127.0.0.2');
      expect(anonymous.status).toBe(429);
      // A valid token is counted by its subject, not by the address.
      const alice = await identity.token({ sub: 'alice-from-127.0.0.2' });
      const valid = await sendRaw(
        bff.port,
        `GET /api/basket HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${alice}\r\nConnection: close\r\n\r\n`,
        1000,
        '127.0.0.2',
      );
      expect(valid.status).toBe(200);
    });
  });
});

describe('a silent connection with KEEP_ALIVE_TIMEOUT_MS shorter than HEADERS_TIMEOUT_MS', () => {
  it('is closed as idle after the keep-alive limit; one that has started a request is left to the headers limit', async () => {
    const identity = await TestIdentity.start();
    const bff = await startBff(
      'web-bff',
      createWebBff,
      bffEnv(identity, 'http://127.0.0.1:9', { KEEP_ALIVE_TIMEOUT_MS: '300', HEADERS_TIMEOUT_MS: '5000' }),
    );
    const port = Number(new URL(bff.url).port);
    const silent = await openSocket(port);
    const started = await openSocket(port);
    const closed = new Set<Socket>();
    for (const s of [silent, started]) {
      s.on('close', () => closed.add(s));
      s.on('error', () => undefined);
    }
    try {
      started.write('GET /health/live HTTP/1.1\r\n');
      await sleep(1200);
      expect(closed.has(silent)).toBe(true);
      expect(closed.has(started)).toBe(false);
    } finally {
      silent.destroy();
      started.destroy();
      await bff.close();
      await identity.close();
    }
  });
});

describe('an in-flight request that takes longer than CLIENT_REQUEST_TIMEOUT_MS to answer', () => {
  it('is answered: only receiving the request is timed, not the answer', async () => {
    const identity = await TestIdentity.start();
    const slow = await startContractDouble({ delayMs: 1200 });
    const env = bffEnv(identity, slow.url, {
      HEADERS_TIMEOUT_MS: '300',
      CLIENT_REQUEST_TIMEOUT_MS: '500',
      REQUEST_TIMEOUT_MS: '5000',
      DOWNSTREAM_TIMEOUT_MS: '4000',
      CACHE_TTL_MS: '0',
    });
    const bff = await startBff('web-bff', createWebBff, env);
    try {
      const token = await identity.token({ sub: 'patient' });
      const [home, add] = await Promise.all([
        fetch(`${bff.url}/api/home`),
        fetch(`${bff.url}/api/basket/items`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ productId: 1, quantity: 1 }),
        }),
      ]);
      expect([home.status, add.status]).toEqual([200, 200]);
    } finally {
      await bff.close();
      await slow.close();
      await identity.close();
    }
  });
});
