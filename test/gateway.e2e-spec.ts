import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { createMobileBff } from '../apps/mobile-bff/src/mobile-bff.app';
import { MOBILE_GATEWAY_ROUTES } from '../apps/mobile-bff/src/gateway/mobile-routes';
import { WEB_GATEWAY_ROUTES } from '../apps/web-bff/src/gateway/web-routes';
import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { gatewayDepsFromConfig, registerBffGateway, registerGatewayRoutes, registeredGatewayRoutes, type RouteTable } from '@app/gateway';
import { servedRoutes } from '@app/platform';
import {
  sendJson,
  sleep,
  startBffRig,
  startTestServer,
  testConfig,
  type BffFactory,
  type BffRig,
  type RunningApp,
  type TestIdentity,
  type TestServer,
} from '@app/testing';

const MiB = 1024 * 1024;
const BIG_CHUNK = 64 * 1024;
const BIG_CHUNKS = 80; // 5 MiB
const BIG_PAUSE_MS = 10;
const DOWNSTREAM_TIMEOUT_MS = 500;
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const LEAKS = /SECRET|internal|127\.0\.0\.1|localhost|at .*\.(t|j)s:\d+|stack/;

const bigChunk = (i: number) => Buffer.alloc(BIG_CHUNK, i % 256);
const BIG_SHA = (() => {
  const h = createHash('sha256');
  for (let i = 0; i < BIG_CHUNKS; i++) h.update(bigChunk(i));
  return h.digest('hex');
})();

/** A test-only table in front of one test server standing for all three services. */
const TABLE: RouteTable = [
  {
    path: '/api/gw/brands',
    methods: ['GET'],
    service: 'catalog',
    downstreamPath: '/api/v1/catalog/catalogbrands',
    auth: 'none',
    cacheTtlMs: 60_000,
    rateLimitClass: 'catalog-read',
  },
  {
    path: '/api/gw/big',
    methods: ['GET'],
    service: 'catalog',
    downstreamPath: '/stream/big',
    auth: 'none',
    cacheTtlMs: 0,
    rateLimitClass: 'catalog-read',
    maxResponseBytes: 8 * MiB,
  },
  {
    path: '/api/gw/endless',
    methods: ['GET'],
    service: 'catalog',
    downstreamPath: '/stream/endless',
    auth: 'none',
    cacheTtlMs: 0,
    rateLimitClass: 'catalog-read',
    maxResponseBytes: 64 * MiB,
  },
  {
    path: '/api/gw/items/:id',
    methods: ['GET'],
    service: 'catalog',
    downstreamPath: '/items/:id',
    auth: 'none',
    cacheTtlMs: 0,
    rateLimitClass: 'catalog-read',
    params: { id: 'int' },
    query: ['fields'],
  },
  ...(['fail', 'hang', 'reset', 'missing', 'limited', 'redirect'] as const).map((name) => ({
    path: `/api/gw/${name}`,
    methods: ['GET'] as const,
    service: 'catalog' as const,
    downstreamPath: `/${name}`,
    auth: 'none' as const,
    cacheTtlMs: 0,
    rateLimitClass: 'catalog-read',
  })),
  {
    path: '/api/gw/huge-declared',
    methods: ['GET'],
    service: 'catalog',
    downstreamPath: '/huge-declared',
    auth: 'none',
    cacheTtlMs: 0,
    rateLimitClass: 'catalog-read',
    maxResponseBytes: MiB,
  },
  {
    path: '/api/gw/huge-chunked',
    methods: ['GET'],
    service: 'catalog',
    downstreamPath: '/huge-chunked',
    auth: 'none',
    cacheTtlMs: 0,
    rateLimitClass: 'catalog-read',
    maxResponseBytes: MiB,
  },
  {
    path: '/api/gw/echo',
    methods: ['POST', 'PUT'],
    service: 'basket',
    downstreamPath: '/echo',
    auth: 'none',
    cacheTtlMs: 0,
    rateLimitClass: 'basket-write',
  },
  {
    path: '/api/gw/cardtypes',
    methods: ['GET'],
    service: 'ordering',
    downstreamPath: '/orders/cardtypes',
    auth: 'required',
    cacheTtlMs: 0,
    rateLimitClass: 'orders-read',
  },
];

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: any;
}

/** Exactly these bytes on the wire (no URL normalisation), `Connection: close`, whole answer read (no half-close: Node aborts on it). */
function rawHttp(url: string, head: string): Promise<Reply> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(`${head}\r\nConnection: close\r\n\r\n`));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const all = Buffer.concat(chunks).toString('latin1');
      const [top, ...rest] = all.split('\r\n\r\n');
      const [statusLine, ...lines] = top.split('\r\n');
      const headers: IncomingHttpHeaders = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      const text = rest.join('\r\n\r\n');
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: Buffer.from(text, 'latin1'), text, json });
    });
  });
}

/** node:http request, whole answer read; `firstByteAt` is when the first body byte arrived. */
function call(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: Buffer | Buffer[] } = {},
): Promise<Reply & { firstByteAt: number; doneAt: number; aborted: boolean }> {
  return new Promise((resolve, reject) => {
    // A fresh connection per call, and an explicit length for a single-buffer body (Node sends a DELETE body unframed otherwise).
    const headers = { ...opts.headers };
    if (Buffer.isBuffer(opts.body) && headers['content-length'] === undefined) headers['content-length'] = String(opts.body.length);
    const req = httpRequest(url, { method: opts.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let firstByteAt = 0;
      let aborted = false;
      const done = () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        let json: any;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json, firstByteAt, doneAt: Date.now(), aborted });
      };
      res.on('data', (c: Buffer) => {
        if (!firstByteAt) firstByteAt = Date.now();
        chunks.push(c);
      });
      res.on('end', done);
      res.on('error', () => {
        aborted = true;
        done();
      });
      res.on('aborted', () => (aborted = true));
    });
    req.on('error', reject);
    if (Array.isArray(opts.body)) {
      void (async () => {
        for (const c of opts.body as Buffer[]) {
          if (!req.write(c)) await new Promise((r) => req.once('drain', r));
        }
        req.end();
      })();
    } else req.end(opts.body);
  });
}

function expectProblem(r: Reply, status: number, detail?: RegExp): void {
  expect(r.status).toBe(status);
  expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(r.json).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
    instance: expect.any(String),
    requestId: expect.any(String),
  });
  if (detail) expect(r.json.detail).toMatch(detail);
  expect(r.text).not.toMatch(LEAKS);
  expect(r.headers['cache-control']).toBe('private, no-store');
}

/** A BFF factory that also registers `table` before listen (unless the factory already did). */
function withTable(create: BffFactory, table: RouteTable): BffFactory {
  return async (config) => {
    const app = await create(config);
    const wired = registeredGatewayRoutes(app.getHttpAdapter().getInstance()).map((r) => r.path);
    if (!table.every((r) => wired.includes(r.path))) registerBffGateway(app, config, table);
    return app;
  };
}

describe('gateway routes (streaming passthrough)', () => {
  let rig: BffRig;
  let identity: TestIdentity;
  let upstream: TestServer;
  let elsewhere: TestServer;
  let bff: RunningApp;
  let bigDoneAt = 0;
  let slowClosedEarly = false;

  beforeAll(async () => {
    elsewhere = await startTestServer((_req, res) => sendJson(res, 200, { hijacked: true }));
    upstream = await startTestServer((req, res) => upstreamHandler(req, res).then(() => undefined));
    async function upstreamHandler(req: IncomingMessage & { body: string }, res: ServerResponse): Promise<unknown> {
      const url = req.url ?? '/';
      const path = url.split('?')[0];
      if (path === '/api/v1/catalog/catalogbrands') {
        if (req.headers['if-none-match'] === '"brands-v1"') {
          res.writeHead(304, { etag: '"brands-v1"' });
          return res.end();
        }
        const body = JSON.stringify([
          { id: 1, brand: 'Azure' },
          { id: 2, brand: '.NET' },
        ]);
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
          etag: '"brands-v1"',
          'last-modified': 'Wed, 21 Oct 2026 07:28:00 GMT',
          'cache-control': 'no-cache',
          'set-cookie': 'session=SECRET; HttpOnly',
          server: 'SECRET-server/1.0',
          'x-powered-by': 'SECRET-framework',
          'x-internal': 'SECRET-node-7',
          location: 'http://internal.example/x',
        });
        return res.end(body);
      }
      if (path === '/stream/big') {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': BIG_CHUNK * BIG_CHUNKS });
        for (let i = 0; i < BIG_CHUNKS; i++) {
          if (i > 0) await sleep(BIG_PAUSE_MS);
          if (!res.write(bigChunk(i))) await new Promise((r) => res.once('drain', r));
        }
        bigDoneAt = Date.now();
        return res.end();
      }
      if (path === '/stream/endless') {
        slowClosedEarly = false;
        res.on('close', () => (slowClosedEarly = !res.writableFinished));
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        for (let i = 0; i < 200 && !res.destroyed; i++) {
          if (!res.write(Buffer.alloc(BIG_CHUNK, 3)))
            await Promise.race([new Promise((r) => res.once('drain', r)), new Promise((r) => res.once('close', r))]);
          await sleep(20);
        }
        return res.end();
      }
      let m: RegExpMatchArray | null;
      if ((m = path.match(/^\/items\/(.+)$/))) return sendJson(res, 200, { url, id: m[1] });
      if (path === '/fail') {
        res.writeHead(500, { 'content-type': 'text/plain' });
        return res.end('SECRET-DB-PASSWORD at /srv/internal/db.js:12 http://catalog.internal:5101');
      }
      if (path === '/hang') return; // never answers
      if (path === '/reset') return req.socket.destroy();
      if (path === '/missing') return sendJson(res, 404, { title: 'SECRET-404', detail: 'SECRET row 7 in internal table' });
      if (path === '/limited') {
        res.writeHead(429, { 'retry-after': '7', 'content-type': 'text/plain' });
        return res.end('SECRET slow down');
      }
      if (path === '/redirect') {
        res.writeHead(302, { location: 'http://internal.example/SECRET' });
        return res.end();
      }
      if (path === '/huge-declared') {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': 2 * MiB });
        return res.end(Buffer.alloc(2 * MiB));
      }
      if (path === '/huge-chunked') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        for (let i = 0; i < 32; i++) {
          if (!res.write(Buffer.alloc(BIG_CHUNK, 1))) await new Promise((r) => res.once('drain', r));
        }
        return res.end();
      }
      if (path === '/echo') {
        return sendJson(res, 200, {
          method: req.method,
          length: Buffer.byteLength(req.body, 'latin1'),
          sha: createHash('sha256').update(req.body).digest('hex'),
          contentType: req.headers['content-type'] ?? null,
        });
      }
      if (path === '/orders/cardtypes') return sendJson(res, 200, [{ id: 1, name: 'Amex' }]);
      return sendJson(res, 404, { title: 'Not Found' });
    }
    rig = await startBffRig({
      downstreams: upstream.url,
      env: { REQUEST_TIMEOUT_MS: '4000', DOWNSTREAM_TIMEOUT_MS: String(DOWNSTREAM_TIMEOUT_MS), BODY_LIMIT_BYTES: '65536' },
    });
    identity = rig.identity;
    bff = await rig.start('web-bff', withTable(createWebBff, TABLE));
  });
  afterAll(async () => {
    await rig?.close();
    await upstream?.close();
    await elsewhere?.close();
  });

  const lastUpstreamRequest = () => upstream.requests[upstream.requests.length - 1];

  it('streams a large body through without buffering it: the first byte arrives long before the upstream finished', async () => {
    const started = Date.now();
    const r = await call(`${bff.url}/api/gw/big`);
    expect(r.status).toBe(200);
    expect(r.body.length).toBe(BIG_CHUNK * BIG_CHUNKS);
    expect(createHash('sha256').update(r.body).digest('hex')).toBe(BIG_SHA);
    expect(r.headers['content-length']).toBe(String(BIG_CHUNK * BIG_CHUNKS));
    expect(r.headers['content-type']).toBe('application/octet-stream');
    expect(bigDoneAt).toBeGreaterThan(started);
    // The upstream needs ≥ 80 × 10 ms; a buffering proxy would send nothing before it is done.
    expect(r.firstByteAt).toBeGreaterThan(0);
    expect(bigDoneAt - r.firstByteAt).toBeGreaterThan((BIG_CHUNKS * BIG_PAUSE_MS) / 2);
  });

  it('a client that goes away mid-stream releases the upstream at once', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${bff.url}/api/gw/endless`, { agent: false }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
      setTimeout(() => reject(new Error('no data')), 2000).unref();
      req.end();
    });
    for (let i = 0; i < 50 && !slowClosedEarly; i++) await sleep(20);
    expect(slowClosedEarly).toBe(true);
  });

  it('relays only allowlisted request headers and adds x-request-id, traceparent and x-forwarded-*', async () => {
    const before = upstream.requests.length;
    const r = await call(`${bff.url}/api/gw/brands`, {
      headers: {
        accept: 'application/json',
        'accept-language': 'de-CH',
        cookie: 'session=abc',
        'x-internal': 'yes',
        authorization: 'Bearer a.b.c', // an anonymous route never relays a token
        'x-forwarded-for': '6.6.6.6',
        'x-forwarded-host': 'attacker.example',
        'x-forwarded-proto': 'https',
        'x-request-id': 'req-gw-0001',
        traceparent: TRACEPARENT,
        tracestate: 'vendor=1',
        'accept-encoding': 'gzip',
        'proxy-authorization': 'Basic SECRET',
      },
    });
    expect(r.status).toBe(200);
    expect(upstream.requests.length).toBe(before + 1);
    const seen = lastUpstreamRequest();
    expect(seen.url).toBe('/api/v1/catalog/catalogbrands');
    expect(seen.headers).toMatchObject({
      accept: 'application/json',
      'accept-language': 'de-CH',
      'x-request-id': 'req-gw-0001',
      tracestate: 'vendor=1',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': new URL(bff.url).host,
      host: new URL(upstream.url).host,
    });
    for (const h of ['cookie', 'x-internal', 'authorization', 'accept-encoding', 'proxy-authorization'])
      expect(seen.headers[h]).toBeUndefined();
    // The caller's trace continues: same trace id and flags; the parent is the BFF's span for this call.
    const [, traceId, , flags] = TRACEPARENT.split('-');
    expect(seen.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-${flags}$`));
  });

  it('returns only allowlisted response headers and its own Cache-Control (public for an anonymous GET with a TTL)', async () => {
    const r = await call(`${bff.url}/api/gw/brands`, { headers: { 'x-request-id': 'req-gw-0002' } });
    expect(r.status).toBe(200);
    expect(r.json).toEqual([
      { id: 1, brand: 'Azure' },
      { id: 2, brand: '.NET' },
    ]);
    expect(r.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(r.body.length),
      etag: '"brands-v1"',
      'last-modified': 'Wed, 21 Oct 2026 07:28:00 GMT',
      'cache-control': 'public, max-age=60',
      'x-request-id': 'req-gw-0002',
    });
    for (const h of ['set-cookie', 'server', 'x-powered-by', 'x-internal', 'location']) expect(r.headers[h]).toBeUndefined();
    expect(JSON.stringify(r.headers)).not.toMatch(/SECRET/);
  });

  it('relays If-None-Match and the 304', async () => {
    const r = await call(`${bff.url}/api/gw/brands`, { headers: { 'if-none-match': '"brands-v1"' } });
    expect(r.status).toBe(304);
    expect(r.body.length).toBe(0);
    expect(r.headers.etag).toBe('"brands-v1"');
    expect(r.headers['cache-control']).toBe('public, max-age=60');
    expect(lastUpstreamRequest().headers['if-none-match']).toBe('"brands-v1"');
  });

  it('answers HEAD on a GET route without a body', async () => {
    const r = await call(`${bff.url}/api/gw/brands`, { method: 'HEAD' });
    expect(r.status).toBe(200);
    expect(r.body.length).toBe(0);
    expect(lastUpstreamRequest().method).toBe('HEAD');
  });

  it('starts a trace when the incoming traceparent is missing or invalid, and always sends a request id', async () => {
    const r = await call(`${bff.url}/api/gw/brands`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(lastUpstreamRequest().headers['x-request-id']).toBe(r.headers['x-request-id']);
    await call(`${bff.url}/api/gw/brands`, { headers: { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' } });
    const a = lastUpstreamRequest().headers;
    await call(`${bff.url}/api/gw/brands`);
    const b = lastUpstreamRequest().headers;
    for (const h of [a, b]) {
      expect(h.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
      expect(h.traceparent).not.toMatch(/^00-0{32}/);
      expect(h.traceparent).not.toContain('00f067aa0ba902b7');
      expect(h['x-request-id']).toMatch(/^[A-Za-z0-9._:-]+$/);
      expect(h.tracestate).toBeUndefined();
    }
    expect(a.traceparent).not.toBe(b.traceparent);
  });

  it('substitutes only parameters that match their pattern, encoded, and relays only allowlisted query parameters', async () => {
    const ok = await call(`${bff.url}/api/gw/items/42?fields=id,name&secret=1&fields=price`);
    expect(ok.status).toBe(200);
    expect(lastUpstreamRequest().url).toBe('/items/42?fields=id%2Cname&fields=price');
    const before = upstream.requests.length;
    for (const bad of ['abc', '4%2e2', '-1', '1e3', '12345678901']) {
      expectProblem(await rawHttp(bff.url, `GET /api/gw/items/${bad} HTTP/1.1\r\nHost: bff`), 400);
    }
    expect(upstream.requests.length).toBe(before);
  });

  it.each([
    '/api/gw/items/..%2f..%2fadmin',
    '/api/gw/items/%2e%2e',
    '/api/gw/items/%2E%2e',
    '/api/gw/items/.%2E',
    '/api/gw/items/%252e%252e',
    '/api/gw/items/1%2f..%2f..%2fadmin',
    '/api/gw/items/1%5c..%5cadmin',
    '/api/gw/items/1%5C..',
    '/api/gw/../gw/brands',
    '/api/gw/brands/..',
    '/api/gw/./brands',
    '/api/gw/..;/brands',
    '/api/gw\\brands',
    '/api/gw/items/1\\..\\admin',
  ])('refuses the traversal %s with 400 and calls nobody', async (target) => {
    const before = upstream.requests.length;
    const r = await rawHttp(bff.url, `GET ${target} HTTP/1.1\r\nHost: bff`);
    expectProblem(r, 400);
    expect(upstream.requests.length).toBe(before);
  });

  it('refuses absolute-form request targets, whatever host they name', async () => {
    for (const target of [`${elsewhere.url}/api/gw/brands`, `${upstream.url}/api/gw/brands`, 'http://evil.example/api/gw/brands']) {
      const before = upstream.requests.length;
      const r = await rawHttp(bff.url, `GET ${target} HTTP/1.1\r\nHost: ${new URL(target).host}`);
      // (The platform's edge answers first and echoes the caller's own target in `instance`.)
      expect(r.status).toBe(400);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.json.detail).toMatch(/origin-form|absolute-form/);
      expect(r.text).not.toMatch(/SECRET|Azure/);
      expect(upstream.requests.length).toBe(before);
    }
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('a Host or X-Forwarded-Host pointing elsewhere changes nothing about where the call goes', async () => {
    const evilHost = new URL(elsewhere.url).host;
    const before = upstream.requests.length;
    const r = await rawHttp(
      bff.url,
      `GET /api/gw/brands HTTP/1.1\r\nHost: ${evilHost}\r\nX-Forwarded-Host: ${evilHost}\r\nForwarded: host=${evilHost}`,
    );
    expect(r.status).toBe(200);
    expect(r.json).toEqual([
      { id: 1, brand: 'Azure' },
      { id: 2, brand: '.NET' },
    ]);
    expect(upstream.requests.length).toBe(before + 1);
    const seen = lastUpstreamRequest();
    expect(seen.url).toBe('/api/v1/catalog/catalogbrands');
    expect(seen.headers.host).toBe(new URL(upstream.url).host);
    expect(seen.headers.forwarded).toBeUndefined();
    expect(elsewhere.requests).toHaveLength(0);
  });

  describe('auth-required routes', () => {
    it('answer 401 problem+json without a token, with a malformed one and with a bad one, calling nobody', async () => {
      const before = upstream.requests.length;
      const none = await call(`${bff.url}/api/gw/cardtypes`);
      expectProblem(none, 401, /bearer token is required/);
      expect(none.headers['www-authenticate']).toBe('Bearer');
      expectProblem(await call(`${bff.url}/api/gw/cardtypes`, { headers: { authorization: 'Basic YWxpY2U6cHc=' } }), 401);
      const unsigned = await call(`${bff.url}/api/gw/cardtypes`, { headers: { authorization: `Bearer ${identity.unsignedToken()}` } });
      expectProblem(unsigned, 401);
      expect(unsigned.headers['www-authenticate']).toMatch(/invalid_token/);
      const otherAudience = await identity.token({ aud: 'mobile-bff' });
      expectProblem(await call(`${bff.url}/api/gw/cardtypes`, { headers: { authorization: `Bearer ${otherAudience}` } }), 401);
      expect(upstream.requests.length).toBe(before);
    });

    it('relay the bearer token when it is valid, and are never publicly cacheable', async () => {
      const token = await identity.token({ sub: 'alice-0001' });
      const r = await call(`${bff.url}/api/gw/cardtypes`, { headers: { authorization: `Bearer ${token}`, cookie: 'c=1' } });
      expect(r.status).toBe(200);
      expect(r.json).toEqual([{ id: 1, name: 'Amex' }]);
      expect(r.headers['cache-control']).toBe('private, no-store');
      expect(lastUpstreamRequest().headers.authorization).toBe(`Bearer ${token}`);
      expect(lastUpstreamRequest().headers.cookie).toBeUndefined();
    });
  });

  it('reports its downstream calls like the typed clients: Server-Timing and metrics', async () => {
    const token = await identity.token({ sub: 'alice-0001' });
    const r = await call(`${bff.url}/api/gw/cardtypes`, { headers: { authorization: `Bearer ${token}` } });
    expect(r.headers['server-timing']).toMatch(/^ordering;dur=\d+(\.\d)?$/);
    const metrics = await call(`${bff.url}/metrics`);
    if (metrics.status === 200)
      expect(metrics.text).toMatch(/downstream_request_duration_seconds_count\{[^}]*service="ordering",outcome="200"/);
  });

  describe('upstream failures', () => {
    it('500 → 502 problem+json without the downstream body or host', async () => {
      expectProblem(await call(`${bff.url}/api/gw/fail`), 502, /catalog service answered 500/);
    });

    it('connection reset → 502', async () => {
      expectProblem(await call(`${bff.url}/api/gw/reset`), 502, /could not be reached/);
    });

    it('a hang → 504 within DOWNSTREAM_TIMEOUT_MS', async () => {
      const started = Date.now();
      const r = await call(`${bff.url}/api/gw/hang`);
      const elapsed = Date.now() - started;
      expectProblem(r, 504, /did not answer in time/);
      expect(elapsed).toBeGreaterThanOrEqual(DOWNSTREAM_TIMEOUT_MS - 20);
      expect(elapsed).toBeLessThan(DOWNSTREAM_TIMEOUT_MS + 700);
    });

    it('4xx → the same status as problem+json, without the downstream body (429 keeps Retry-After)', async () => {
      expectProblem(await call(`${bff.url}/api/gw/missing`), 404, /catalog service answered 404/);
      const limited = await call(`${bff.url}/api/gw/limited`);
      expectProblem(limited, 429);
      expect(limited.headers['retry-after']).toBe('7');
    });

    it('a redirect is neither followed nor relayed', async () => {
      const before = upstream.requests.length;
      const r = await call(`${bff.url}/api/gw/redirect`);
      expectProblem(r, 502);
      expect(r.headers.location).toBeUndefined();
      expect(upstream.requests.length).toBe(before + 1);
    });

    it('an answer declared larger than the cap → 502 before anything is sent', async () => {
      expectProblem(await call(`${bff.url}/api/gw/huge-declared`), 502, /invalid answer/);
    });

    it('an answer that grows past the cap while streaming is cut off', async () => {
      const r = await call(`${bff.url}/api/gw/huge-chunked`).catch(() => ({ status: 200, body: Buffer.alloc(0), aborted: true }));
      expect(r.status).toBe(200);
      expect(r.aborted).toBe(true);
      expect(r.body.length).toBeLessThanOrEqual(MiB);
    });

    it('the BFF keeps serving after all that', async () => {
      expect((await call(`${bff.url}/api/gw/brands`)).status).toBe(200);
      expect((await call(`${bff.url}/health/live`)).status).toBe(200);
    });
  });

  describe('methods and request bodies', () => {
    it('an unknown method on a table route → 405 with Allow', async () => {
      const before = upstream.requests.length;
      for (const method of ['POST', 'PUT', 'DELETE']) {
        const r = await call(`${bff.url}/api/gw/brands`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: Buffer.from('{}'),
        });
        expectProblem(r, 405, new RegExp(`${method} is not allowed`));
        expect(r.headers.allow).toBe('GET, HEAD');
      }
      for (const method of ['GET', 'HEAD', 'DELETE']) {
        const r = await call(`${bff.url}/api/gw/echo`, { method });
        expect(r.status).toBe(405);
        expect(r.headers.allow).toBe('POST, PUT');
      }
      expectProblem(await call(`${bff.url}/api/gw/items/42`, { method: 'DELETE' }), 405);
      // The platform's edge refuses PATCH everywhere, before routing.
      expect(
        (
          await call(`${bff.url}/api/gw/brands`, {
            method: 'PATCH',
            body: Buffer.from('{}'),
            headers: { 'content-type': 'application/json' },
          })
        ).status,
      ).toBe(405);
      expect(upstream.requests.length).toBe(before);
    });

    it('streams a request body through unchanged', async () => {
      const body = Buffer.alloc(40_000, 7);
      const r = await call(`${bff.url}/api/gw/echo`, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(body.length), cookie: 'x=1' },
        body,
      });
      expect(r.status).toBe(200);
      expect(r.json).toEqual({
        method: 'PUT',
        length: body.length,
        sha: createHash('sha256').update(body).digest('hex'),
        contentType: 'application/octet-stream',
      });
      expect(r.headers['cache-control']).toBe('private, no-store');
      expect(lastUpstreamRequest().headers.cookie).toBeUndefined();
    });

    it('streams a chunked request body too', async () => {
      const chunks = Array.from({ length: 10 }, (_, i) => Buffer.alloc(4096, i));
      const r = await call(`${bff.url}/api/gw/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chunks });
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ method: 'POST', length: 40_960, contentType: 'application/json' });
    });

    it('a request body over BODY_LIMIT_BYTES → 413, declared or not', async () => {
      const big = Buffer.alloc(100_000, 1);
      expectProblem(
        await call(`${bff.url}/api/gw/echo`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': String(big.length) },
          body: big,
        }),
        413,
      );
      const chunked = await call(`${bff.url}/api/gw/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: Array.from({ length: 25 }, () => Buffer.alloc(4096, 2)),
      }).catch(() => undefined);
      // Either the 413 arrives, or the BFF closes the connection while the client is still sending.
      if (chunked) expectProblem(chunked, 413);
    });
  });

  it("refuses at start a table path that one of the app's own routes also serves", async () => {
    const collide: RouteTable = [{ ...TABLE[0], path: '/api/home' }];
    await expect(rig.start('web-bff', withTable(createWebBff, collide))).rejects.toThrow(
      /table path \/api\/home collides with the app's own route GET \/api\/home/,
    );
  });

  it('refuses at start a table naming a service without a base URL', () => {
    const config = testConfig('web-bff', {});
    const deps = gatewayDepsFromConfig(
      config,
      { verify: async () => ({ sub: 'x', scopes: [], token: '' }), remembered: () => undefined },
      {},
      { services: { catalog: [upstream.url] } },
    );
    expect(() => registerGatewayRoutes({} as never, [TABLE[TABLE.length - 1]], deps)).toThrow(
      /#1 GET \/api\/gw\/cardtypes: service ordering has no base URL/,
    );
  });
});

describe("the BFFs' own gateway tables", () => {
  let rig: BffRig;
  let identity: TestIdentity;
  let double: TestServer;
  let web: RunningApp;
  let mobile: RunningApp;

  beforeAll(async () => {
    rig = await startBffRig({
      double: {
        fault: (path, res) => {
          if (path !== '/api/v1/orders/cardtypes') return false;
          sendJson(res, 200, [
            { id: 1, name: 'Amex' },
            { id: 2, name: 'Visa' },
          ]);
          return true;
        },
      },
      bffs: { 'web-bff': withTable(createWebBff, WEB_GATEWAY_ROUTES), 'mobile-bff': withTable(createMobileBff, MOBILE_GATEWAY_ROUTES) },
    });
    ({ identity } = rig);
    double = rig.double!;
    web = rig.apps['web-bff']!;
    mobile = rig.apps['mobile-bff']!;
  });
  afterAll(() => rig?.close());

  it('web-bff: brands and types anonymously, card types with a token', async () => {
    const brands = await call(`${web.url}/api/catalog/brands`);
    expect(brands.status).toBe(200);
    expect(brands.json).toEqual([
      { id: 1, brand: 'Brand 1' },
      { id: 2, brand: 'Brand 2' },
    ]);
    expect(brands.headers['cache-control']).toBe('public, max-age=60');
    expect((await call(`${web.url}/api/catalog/types`)).json).toHaveLength(3);
    expectProblem(await call(`${web.url}/api/orders/cardtypes`), 401);
    const token = await identity.token({ aud: 'web-bff' });
    const cards = await call(`${web.url}/api/orders/cardtypes`, { headers: { authorization: `Bearer ${token}` } });
    expect(cards.status).toBe(200);
    expect(cards.json).toEqual([
      { id: 1, name: 'Amex' },
      { id: 2, name: 'Visa' },
    ]);
  });

  it("web-bff: the app's own routes next to them are unchanged", async () => {
    expect((await call(`${web.url}/api/home`)).status).toBe(200);
    expect((await call(`${web.url}/api/products/1`)).status).toBe(200);
    const token = await identity.token({ aud: 'web-bff' });
    expect((await call(`${web.url}/api/orders`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await call(`${web.url}/api/orders/abc`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(400);
  });

  it('documents the table routes in /docs-json, so documented paths stay exactly the served ones', async () => {
    for (const bffApp of [web, mobile]) {
      const r = await call(`${bffApp.url}/docs-json`, { headers: { 'accept-encoding': 'gzip, br' } });
      if (r.status === 404) continue; // docs moved to ADMIN_PORT
      expect(r.status).toBe(200);
      const text = r.headers['content-encoding']
        ? (await import('node:zlib'))[r.headers['content-encoding'] === 'br' ? 'brotliDecompressSync' : 'gunzipSync'](r.body).toString()
        : r.text;
      const doc = JSON.parse(text);
      const documented = Object.entries(doc.paths as Record<string, object>).flatMap(([p, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
      );
      const served = servedRoutes(bffApp.app).filter((x) => /^\/(api\/|health\/|metrics$)/.test(x.split(' ')[1]));
      expect(documented.sort()).toEqual(served.sort());
      expect(documented).toEqual(expect.arrayContaining(['GET /api/catalog/brands', 'GET /api/orders/cardtypes']));
      expect(doc.paths['/api/orders/cardtypes'].get.security).toEqual([{ bearer: [] }]);
      expect(text).not.toContain(double.url);
      expect(text).not.toContain('/api/v1/');
    }
  });

  it('mobile-bff: brands and card types only', async () => {
    const brands = await call(`${mobile.url}/api/catalog/brands`);
    expect(brands.status).toBe(200);
    expect(brands.json).toEqual([
      { id: 1, brand: 'Brand 1' },
      { id: 2, brand: 'Brand 2' },
    ]);
    expect(brands.headers['cache-control']).toBe('public, max-age=60');
    expect((await call(`${mobile.url}/api/catalog/types`)).status).toBe(404);
    const token = await identity.token({ aud: 'mobile-bff' });
    expect((await call(`${mobile.url}/api/orders/cardtypes`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const webToken = await identity.token({ aud: 'web-bff' });
    expectProblem(await call(`${mobile.url}/api/orders/cardtypes`, { headers: { authorization: `Bearer ${webToken}` } }), 401);
  });
});
