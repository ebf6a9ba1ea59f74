import { RequestContextStore } from '@app/context';
import { sendJson, sleep, startTestServer, type TestServer } from '@app/testing';
import { DownstreamBadResponseError, DownstreamConnectionError, DownstreamStatusError, DownstreamTimeoutError } from './downstream.errors';
import { DEFAULT_RETRY, HttpTransport } from './http-transport';

const NO_RETRY = { ...DEFAULT_RETRY, maxRetries: 0 };
import { Type } from '@sinclair/typebox';
import { compileCheck } from '@app/contracts';

const isGreeting = compileCheck(Type.Object({ hello: Type.String() }));
const ctx = (over: Partial<Parameters<typeof RequestContextStore.run>[0]> = {}) => ({
  requestId: 'req-1',
  deadline: Date.now() + 2000,
  timings: [],
  ...over,
});

describe('HttpTransport against real servers', () => {
  let server: TestServer;
  let transport: HttpTransport;
  const make = (url: string, over: Partial<ConstructorParameters<typeof HttpTransport>[0]> = {}) =>
    // One attempt per call here: retries have their own spec (resilience.spec.ts).
    new HttpTransport({
      service: 'catalog',
      baseUrls: [url],
      attemptTimeoutMs: 300,
      maxBodyBytes: 1024,
      connections: 4,
      retry: NO_RETRY,
      ...over,
    });

  afterEach(async () => {
    await transport?.close();
    await server?.close();
  });

  it('returns the checked body and relays request id and (only when asked) the caller token', async () => {
    server = await startTestServer((_req, res) => sendJson(res, 200, { hello: 'world' }));
    transport = make(server.url);
    const context = ctx({ authorization: 'Bearer a.b.c' });
    const res = await RequestContextStore.run(context, () => transport.call({ method: 'GET', path: '/x', expect: isGreeting }));
    await RequestContextStore.run(context, () => transport.call({ method: 'GET', path: '/y', relayAuth: true, expect: isGreeting }));
    expect(res.body).toEqual({ hello: 'world' });
    expect(server.requests[0].headers['x-request-id']).toBe('req-1');
    expect(server.requests[0].headers.authorization).toBeUndefined();
    expect(server.requests[1].headers.authorization).toBe('Bearer a.b.c');
    expect(context.timings.map((t) => t.service)).toEqual(['catalog', 'catalog']);
  });

  it('keeps a base URL path prefix and sends JSON bodies', async () => {
    server = await startTestServer((req, res) => sendJson(res, 200, { hello: req.body }));
    transport = make(`${server.url}/prefix/`);
    const res = await transport.call({ method: 'POST', path: '/api', body: { a: 1 }, expect: isGreeting });
    expect(server.requests[0].url).toBe('/prefix/api');
    expect(server.requests[0].headers['content-type']).toMatch(/^application\/json/);
    expect(res.body?.hello).toBe('{"a":1}');
  });

  it('maps a 500 to a status error without reading the body, and allows listed statuses', async () => {
    server = await startTestServer((req, res) => sendJson(res, req.url === '/missing' ? 404 : 500, { secret: 'stack' }));
    transport = make(server.url);
    await expect(transport.call({ method: 'GET', path: '/boom', expect: isGreeting })).rejects.toMatchObject({
      constructor: DownstreamStatusError,
      status: 500,
      clientStatus: 502,
    });
    await expect(transport.call({ method: 'GET', path: '/missing', expect: isGreeting, allow: [404] })).resolves.toEqual({
      status: 404,
      body: undefined,
    });
  });

  it('times out a hanging downstream at the attempt limit', async () => {
    server = await startTestServer(() => undefined);
    transport = make(server.url);
    const started = Date.now();
    await expect(transport.call({ method: 'GET', path: '/', expect: isGreeting })).rejects.toBeInstanceOf(DownstreamTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(450);
  });

  it('times out a body that trickles in, even though bytes keep arriving', async () => {
    server = await startTestServer(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"hello":"');
      for (let i = 0; i < 50 && !res.destroyed; i++) {
        res.write('x');
        await sleep(50);
      }
      res.end('"}');
    });
    transport = make(server.url);
    const started = Date.now();
    await expect(transport.call({ method: 'GET', path: '/', expect: isGreeting })).rejects.toBeInstanceOf(DownstreamTimeoutError);
    expect(Date.now() - started).toBeLessThan(450);
  });

  it('gives up at the request deadline when it comes before the attempt limit', async () => {
    server = await startTestServer(() => undefined);
    transport = make(server.url, { attemptTimeoutMs: 5000 });
    const started = Date.now();
    await expect(
      RequestContextStore.run(ctx({ deadline: Date.now() + 120 }), () => transport.call({ method: 'GET', path: '/', expect: isGreeting })),
    ).rejects.toBeInstanceOf(DownstreamTimeoutError);
    expect(Date.now() - started).toBeLessThan(250);
  });

  it('maps a reset connection and a refused one to connection errors', async () => {
    server = await startTestServer((req) => {
      req.socket.destroy();
    });
    transport = make(server.url);
    await expect(transport.call({ method: 'GET', path: '/', expect: isGreeting })).rejects.toBeInstanceOf(DownstreamConnectionError);
    const closedUrl = server.url;
    await server.close();
    await transport.close();
    transport = make(closedUrl);
    await expect(transport.call({ method: 'GET', path: '/', expect: isGreeting })).rejects.toBeInstanceOf(DownstreamConnectionError);
  });

  it.each([
    ['malformed JSON', (res: import('node:http').ServerResponse) => res.end('{"hello":')],
    ['wrong-shape JSON', (res: import('node:http').ServerResponse) => res.end('{"hello":42}')],
    ['an oversized declared body', (res: import('node:http').ServerResponse) => res.end(JSON.stringify({ hello: 'x'.repeat(5000) }))],
  ])('rejects %s as a bad answer', async (_name, answer) => {
    server = await startTestServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      answer(res);
    });
    transport = make(server.url);
    await expect(transport.call({ method: 'GET', path: '/', expect: isGreeting })).rejects.toBeInstanceOf(DownstreamBadResponseError);
  });

  it('cuts off an oversized chunked body without buffering it whole', async () => {
    let written = 0;
    server = await startTestServer(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      while (written < 50 * 1024 * 1024 && !res.destroyed) {
        if (!res.write('x'.repeat(64 * 1024))) await new Promise((r) => res.once('drain', r).once('close', r));
        written += 64 * 1024;
      }
      res.end();
    });
    transport = make(server.url, { maxBodyBytes: 256 * 1024 });
    await expect(transport.call({ method: 'GET', path: '/', expect: isGreeting })).rejects.toBeInstanceOf(DownstreamBadResponseError);
    await sleep(50);
    expect(written).toBeLessThan(20 * 1024 * 1024);
  });

  it('does not follow redirects', async () => {
    server = await startTestServer((_req, res) => {
      res.writeHead(302, { location: 'http://169.254.169.254/' });
      res.end();
    });
    transport = make(server.url);
    await expect(transport.call({ method: 'GET', path: '/', expect: isGreeting })).rejects.toMatchObject({ status: 302 });
    expect(server.requests).toHaveLength(1);
  });

  it('spreads calls round-robin over several instances', async () => {
    server = await startTestServer((_req, res) => sendJson(res, 200, { hello: 'a' }));
    const second = await startTestServer((_req, res) => sendJson(res, 200, { hello: 'b' }));
    transport = new HttpTransport({
      service: 'catalog',
      baseUrls: [server.url, second.url],
      attemptTimeoutMs: 300,
      maxBodyBytes: 1024,
      connections: 2,
      retry: NO_RETRY,
    });
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push((await transport.call({ method: 'GET', path: '/', expect: isGreeting })).body?.hello);
    expect(seen).toEqual(['a', 'b', 'a', 'b']);
    await second.close();
  });
});
