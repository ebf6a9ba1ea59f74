import { request as httpRequest } from 'node:http';
import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { createMobileBff } from '../apps/mobile-bff/src/mobile-bff.app';
import { bffEnv, testConfig, listen, startContractDouble, TestIdentity, type RunningApp, type TestServer } from '@app/testing';
import { buildOpenApi, servedRoutes, startAdminServer } from '@app/platform';

/** Security headers, method/target/body checks, allowlist, tracing, Server-Timing, logs, metrics and docs. */
describe('the edge', () => {
  let identity: TestIdentity;
  let double: TestServer;
  let web: RunningApp;
  const lines: string[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    identity = await TestIdentity.start();
    double = await startContractDouble();
    env = bffEnv(identity, double.url, { CACHE_TTL_MS: '0' });
    web = await listen(
      await createWebBff({ ...testConfig('web-bff', { ...env, LOG_LEVEL: 'info' }), logStream: { write: (l) => void lines.push(l) } }),
    );
  });
  afterAll(async () => {
    await web?.close();
    await double?.close();
    await identity?.close();
  });

  const raw = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const url = new URL(web.url);
      const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });

  it('sends the OWASP REST security headers and no X-Powered-By', async () => {
    const r = await raw('GET', '/api/home');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['strict-transport-security']).toMatch(/max-age/);
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['content-security-policy']).toBe("frame-ancestors 'none'");
    expect(r.headers['x-powered-by']).toBeUndefined();
    // Browser-page headers that mean nothing on JSON answers are not sent (bytes on every answer).
    for (const name of ['x-dns-prefetch-control', 'x-download-options', 'x-permitted-cross-domain-policies', 'origin-agent-cluster']) {
      expect(r.headers[name]).toBeUndefined();
    }
  });

  it('allows CORS only from the configured origins, never *', async () => {
    const ok = await raw('OPTIONS', '/api/home', { origin: 'http://localhost:3000', 'access-control-request-method': 'GET' });
    expect(ok.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    const evil = await raw('OPTIONS', '/api/home', { origin: 'https://evil.example', 'access-control-request-method': 'GET' });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });

  it.each([
    ['TRACE', '/api/home', 405],
    ['PROPFIND', '/api/home', 405],
  ])('%s %s → %d problem+json', async (method, path, status) => {
    const r = await raw(method, path);
    expect(r.status).toBe(status);
    expect(r.headers['content-type']).toMatch(/problem\+json/);
    expect(r.headers.allow).toMatch(/GET/);
  });

  it('refuses tokens in the query string', async () => {
    const r = await raw('GET', '/api/basket?access_token=abc.def.ghi');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).detail).toMatch(/Authorization header/);
  });

  it('takes request bodies only as JSON (415 otherwise), and changes nothing', async () => {
    const token = await identity.token({ sub: 'edge-user' });
    const before = double.requests.length;
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const r = await raw('POST', '/api/basket/items', { authorization: `Bearer ${token}`, 'content-type': type }, 'productId=1');
      expect(r.status).toBe(415);
      expect(r.headers['content-type']).toMatch(/problem\+json/);
    }
    expect(double.requests.length).toBe(before);
  });

  it('continues the caller’s W3C trace downstream with a new span, and starts one when absent', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const before = double.requests.length;
    await raw('GET', '/api/home', { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    const sent = double.requests.slice(before).map((r) => String(r.headers.traceparent));
    expect(sent.length).toBeGreaterThanOrEqual(3);
    for (const tp of sent) {
      expect(tp).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      expect(tp).not.toContain('00f067aa0ba902b7');
    }
    expect(new Set(sent).size).toBe(sent.length);
    const again = double.requests.length;
    await raw('GET', '/api/home', { traceparent: 'garbage' });
    const fresh = double.requests.slice(again).map((r) => String(r.headers.traceparent));
    expect(fresh[0]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(fresh[0]).not.toContain(traceId);
  });

  it('reports each downstream’s time in Server-Timing', async () => {
    const r = await raw('GET', '/api/home');
    expect(r.headers['server-timing']).toMatch(/^catalog;dur=\d+(\.\d)?;desc="3 calls"$/);
  });

  it('logs one JSON line per request with id, route, status, duration and degraded, never the token', async () => {
    lines.length = 0;
    const token = await identity.token({ sub: 'log-user' });
    await raw('GET', '/api/products/1', { authorization: `Bearer ${token}`, cookie: 'session=s3cr3t', 'x-request-id': 'log-check-1' });
    const line = lines.map((l) => JSON.parse(l)).find((l) => l.reqId === 'log-check-1');
    expect(line).toMatchObject({ level: 'info', app: 'web-bff', method: 'GET', route: '/api/products/:id', status: 200, msg: 'request' });
    expect(typeof line.durationMs).toBe('number');
    expect(line.traceId).toMatch(/^[0-9a-f]{32}$/);
    const all = lines.join('\n');
    expect(all).not.toContain(token);
    expect(all).not.toContain('s3cr3t');
  });

  it('exposes Prometheus metrics: requests by route, downstream calls, breakers, process', async () => {
    await raw('GET', '/api/home');
    const r = await raw('GET', '/metrics');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.body).toMatch(/http_server_request_duration_seconds_count\{[^}]*route="\/api\/home"[^}]*status="200"/);
    expect(r.body).toMatch(/downstream_request_duration_seconds_count\{[^}]*service="catalog",outcome="200"/);
    expect(r.body).toMatch(/downstream_circuit_state\{[^}]*service="catalog",instance="catalog#1"[^}]*\} 0/);
    expect(r.body).toMatch(/process_cpu_user_seconds_total/);
    expect(r.body).not.toContain('127.0.0.1');
  });

  it('serves OpenAPI whose paths are exactly the API routes the app serves', async () => {
    const doc = JSON.parse((await raw('GET', '/docs-json')).body);
    const documented = Object.entries(doc.paths as Record<string, object>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const served = servedRoutes(web.app).filter((r) => /^\/(api\/|health\/|metrics$)/.test(r.split(' ')[1]));
    expect(documented.sort()).toEqual(served.sort());
    expect(documented).toEqual(expect.arrayContaining(['GET /api/home', 'POST /api/checkout', 'GET /api/products/:id/picture']));
    expect((await raw('GET', '/docs')).body).toContain('swagger-ui');
  });

  it('answers 403 to addresses outside IP_ALLOWLIST and serves those inside (IPv4 and IPv6 CIDRs)', async () => {
    const denied = await listen(await createWebBff(testConfig('web-bff', { ...env, IP_ALLOWLIST: '10.0.0.0/8, 2001:db8::/32' })));
    const allowed = await listen(await createWebBff(testConfig('web-bff', { ...env, IP_ALLOWLIST: '10.0.0.0/8, 127.0.0.0/24, ::1' })));
    try {
      const no = await fetch(`${denied.url}/api/home`);
      expect(no.status).toBe(403);
      expect(no.headers.get('content-type')).toMatch(/problem\+json/);
      expect((await fetch(`${allowed.url}/api/home`)).status).toBe(200);
    } finally {
      await denied.close();
      await allowed.close();
    }
  });

  it('moves metrics and docs to ADMIN_PORT, or turns them off', async () => {
    const config = testConfig('mobile-bff', { ...env, ADMIN_PORT: '0' });
    const moved = await listen(await createMobileBff(config));
    const admin = await startAdminServer(moved.app, config, buildOpenApi(moved.app, config), 0);
    const off = await listen(await createMobileBff(testConfig('mobile-bff', { ...env, ADMIN_PORT: 'off' })));
    try {
      expect((await fetch(`${moved.url}/metrics`)).status).toBe(404);
      expect((await fetch(`${moved.url}/docs-json`)).status).toBe(404);
      const adminUrl = `http://127.0.0.1:${(admin.address() as { port: number }).port}`;
      expect(await (await fetch(`${adminUrl}/metrics`)).text()).toMatch(/http_server_request_duration_seconds/);
      expect(Object.keys(((await (await fetch(`${adminUrl}/docs-json`)).json()) as any).paths)).toContain('/api/orders');
      expect((await fetch(`${off.url}/metrics`)).status).toBe(404);
      expect((await fetch(`${off.url}/docs`)).status).toBe(404);
    } finally {
      admin.close();
      await moved.close();
      await off.close();
    }
  });
});
