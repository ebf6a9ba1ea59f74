import { Agent, request } from 'undici';
import { bffEnv, startContractDouble, TestIdentity, type TestServer } from '@app/testing';
import {
  freePort,
  getFrom,
  startBuiltBff,
  startHaproxy,
  startRedis,
  waitFor,
  type BffProc,
  type HaproxyProc,
  type RedisProc,
} from './support/scale-out-rig';

jest.setTimeout(120_000);

const WEB_LIMIT = 10;
/** Longer than HAProxy needs to see a replica's readiness turn 503 (checks every 500 ms, out after two failures). */
const SHUTDOWN_DELAY_MS = 2500;

/**
 * Scale-out on loopback, every piece a real process: redis-server, two web-bff and two mobile-bff
 * replicas (the built `dist/apps/<name>/main.js`, as the run contract starts them) and HAProxy in
 * front with `option forwardfor` and health checks on /health/ready. Downstreams are a contract
 * double in the test process. Clients are told apart by their loopback source address.
 */
describe('scale-out: replicas behind HAProxy on one Redis', () => {
  let redis: RedisProc;
  let identity: TestIdentity;
  let double: TestServer;
  let lb: HaproxyProc;
  const web: BffProc[] = [];
  const mobile: BffProc[] = [];
  const envOf: Record<'web-bff' | 'mobile-bff', Record<string, string>> = { 'web-bff': {}, 'mobile-bff': {} };

  beforeAll(async () => {
    redis = await startRedis();
    identity = await TestIdentity.start();
    double = await startContractDouble();
    const shared = bffEnv(identity, double.url, {
      REDIS_URL: redis.url,
      // HAProxy connects from 127.0.0.1; clients come from 127.0.0.2 and up.
      TRUSTED_PROXIES: '127.0.0.1',
      CURSOR_SECRET: 'scale-out-suite-shared-cursor-key',
      CACHE_TTL_MS: '60000',
      HEDGE_AFTER_MS: '0',
      LOG_LEVEL: 'info',
      SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
      SHUTDOWN_GRACE_MS: '5000',
    });
    envOf['web-bff'] = { ...shared, RATE_LIMIT_MAX: String(WEB_LIMIT), RATE_LIMIT_WINDOW_MS: '120000' };
    envOf['mobile-bff'] = { ...shared, RATE_LIMIT_MAX: '1000000' };
    const ports = await Promise.all(Array.from({ length: 6 }, () => freePort()));
    web.push(...(await Promise.all([0, 1].map((i) => startBuiltBff('web-bff', ports[i], envOf['web-bff'])))));
    mobile.push(...(await Promise.all([2, 3].map((i) => startBuiltBff('mobile-bff', ports[i], envOf['mobile-bff'])))));
    lb = await startHaproxy([
      { name: 'web', port: ports[4], servers: web.map((b, i) => ({ name: `web${i + 1}`, port: b.port })) },
      { name: 'mobile', port: ports[5], servers: mobile.map((b, i) => ({ name: `mobile${i + 1}`, port: b.port })) },
    ]);
    await waitFor('every replica UP at the balancer', async () => {
      const states = Object.values(await lb.states());
      return states.length === 4 && states.every((s) => s === 'UP');
    });
  });

  afterAll(async () => {
    await Promise.all([...web, ...mobile].map((b) => b.stop('SIGKILL')));
    await lb?.stop();
    await redis?.stop('SIGKILL');
    await double?.close();
    await identity?.close();
  });

  const servedBy = (a: { headers: Record<string, unknown> }) => String(a.headers['x-served-by']);

  it('gives a client one rate-limit budget across the replicas', async () => {
    const answers = [];
    for (let i = 0; i < 2 * WEB_LIMIT; i++) answers.push(await getFrom(`${lb.urls.web}/api/products?pageSize=1`, '127.0.0.2'));
    const ok = answers.filter((a) => a.status === 200);
    const limited = answers.filter((a) => a.status === 429);
    expect(ok).toHaveLength(WEB_LIMIT);
    expect(limited).toHaveLength(WEB_LIMIT);
    // Round robin: both replicas served, and both refused, from the same Redis counter.
    expect(new Set(ok.map(servedBy))).toEqual(new Set(['web1', 'web2']));
    expect(new Set(limited.map(servedBy))).toEqual(new Set(['web1', 'web2']));
    expect(limited[0].headers['retry-after']).toBeDefined();
    expect(limited[0].headers['content-type']).toMatch(/problem\+json/);
  });

  it('gives distinct clients their own budgets, and a client cannot forge its address', async () => {
    for (const client of ['127.0.0.3', '127.0.0.4']) {
      const statuses = [];
      for (let i = 0; i <= WEB_LIMIT; i++) statuses.push((await getFrom(`${lb.urls.web}/api/products?pageSize=1`, client)).status);
      expect(statuses).toEqual([...Array(WEB_LIMIT).fill(200), 429]);
    }
    // 127.0.0.2 spent its budget above; HAProxy appends the real address to whatever it claims.
    const forged = await getFrom(`${lb.urls.web}/api/products?pageSize=1`, '127.0.0.2', { 'x-forwarded-for': '127.0.0.99' });
    expect(forged.status).toBe(429);
    // Straight to a replica, the caller's own X-Forwarded-For is ignored: it is counted by its address.
    const direct = [];
    for (let i = 0; i <= WEB_LIMIT; i++) {
      direct.push((await getFrom(`${web[i % 2].url}/api/products?pageSize=1`, '127.0.0.5', { 'x-forwarded-for': `10.0.0.${i}` })).status);
    }
    expect(direct).toEqual([...Array(WEB_LIMIT).fill(200), 429]);
  });

  it('logs the client address, not the balancer’s', async () => {
    const r = await getFrom(`${lb.urls.web}/api/products?pageSize=2`, '127.0.0.6');
    expect(r.status).toBe(200);
    const id = String(r.headers['x-request-id']);
    await waitFor('the request log line', async () => web.some((b) => b.lines.some((l) => l.includes(id))), 5000);
    const line = web.flatMap((b) => b.lines).find((l) => l.includes(id) && l.includes('"request"'));
    expect(JSON.parse(line!)).toMatchObject({ reqId: id, clientIp: '127.0.0.6' });
  });

  it('serves a catalog read cached by one replica from the other', async () => {
    const path = '/api/products?pageIndex=3&pageSize=4';
    const catalogCalls = () =>
      double.requests.filter((r) => r.url.startsWith('/api/v1/catalog/items?') && r.url.includes('pageIndex=3')).length;
    const first = await getFrom(`${web[0].url}${path}`, '127.0.0.7');
    expect(first.status).toBe(200);
    const calls = catalogCalls();
    expect(calls).toBeGreaterThan(0);
    const second = await getFrom(`${web[1].url}${path}`, '127.0.0.7');
    expect(second.status).toBe(200);
    expect(JSON.parse(second.body).items).toEqual(JSON.parse(first.body).items);
    expect(catalogCalls()).toBe(calls);
  });

  it('accepts on one mobile replica the cursors another one issued', async () => {
    const page1 = await getFrom(`${mobile[0].url}/api/products?limit=5`, '127.0.0.8');
    const { items, nextCursor } = JSON.parse(page1.body) as { items: { id: number }[]; nextCursor: string };
    expect(nextCursor).toEqual(expect.any(String));
    const page2 = await getFrom(`${mobile[1].url}/api/products?limit=5&cursor=${encodeURIComponent(nextCursor)}`, '127.0.0.8');
    expect(page2.status).toBe(200);
    const next = JSON.parse(page2.body).items as { id: number }[];
    expect(next).toHaveLength(5);
    expect(next.map((i) => i.id)).not.toEqual(expect.arrayContaining(items.map((i) => i.id)));
    // Through the balancer every page lands on alternating replicas: the whole catalog, once, in order.
    const seen: number[] = [];
    let cursor: string | null = null;
    const servers = new Set<string>();
    do {
      const page = await getFrom(
        `${lb.urls.mobile}/api/products?limit=7${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        '127.0.0.8',
      );
      expect(page.status).toBe(200);
      servers.add(servedBy(page));
      const body = JSON.parse(page.body) as { items: { id: number }[]; nextCursor: string | null };
      seen.push(...body.items.map((i) => i.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(30);
    expect(servers).toEqual(new Set(['mobile1', 'mobile2']));
  });

  it('restarts the replicas one by one under steady load with zero failed requests', async () => {
    const agent = new Agent({ connections: 8, keepAliveTimeout: 4000 });
    const failures: string[] = [];
    const servedDuring = new Map<string, number>();
    let total = 0;
    let running = true;
    const worker = async (n: number) => {
      while (running) {
        const path = n % 2 === 0 ? '/api/products?limit=3' : '/api/home';
        try {
          const r = await request(`${lb.urls.mobile}${path}`, { dispatcher: agent });
          await r.body.text();
          total++;
          servedDuring.set(String(r.headers['x-served-by']), (servedDuring.get(String(r.headers['x-served-by'])) ?? 0) + 1);
          if (r.statusCode !== 200) failures.push(`${path} → ${r.statusCode} from ${r.headers['x-served-by'] ?? 'haproxy'}`);
        } catch (err) {
          failures.push(`${path} → ${(err as Error).message}`);
        }
      }
    };
    const workers = Array.from({ length: 6 }, (_, n) => worker(n));
    await new Promise((r) => setTimeout(r, 500));
    for (let i = 0; i < mobile.length; i++) {
      const old = mobile[i];
      const stopped = Date.now();
      expect(await old.stop('SIGTERM')).toBe(0);
      // It kept serving (not ready) for the delay, then drained and exited cleanly.
      expect(Date.now() - stopped).toBeGreaterThanOrEqual(SHUTDOWN_DELAY_MS - 100);
      mobile[i] = await startBuiltBff('mobile-bff', old.port, envOf['mobile-bff']);
      await waitFor(`mobile${i + 1} back UP`, async () => (await lb.states())[`mobile/mobile${i + 1}`] === 'UP');
    }
    await new Promise((r) => setTimeout(r, 500));
    running = false;
    await Promise.all(workers);
    await agent.close();
    expect(failures).toEqual([]);
    expect(total).toBeGreaterThan(100);
    expect([...servedDuring.keys()].sort()).toEqual(['mobile1', 'mobile2']);
  });

  it('keeps answering when Redis dies mid-run', async () => {
    // Warm: counters and cache entries are in Redis.
    expect((await getFrom(`${lb.urls.web}/api/products?pageSize=3`, '127.0.0.9')).status).toBe(200);
    expect(await redis.stop('SIGKILL')).toBeNull();
    const statuses: number[] = [];
    const deadline = Date.now() + 3000;
    let n = 0;
    while (Date.now() < deadline) {
      // Fresh clients: without Redis each replica counts locally, and this is not about limits.
      const client = `127.0.1.${(n % 250) + 1}`;
      const [w, m] = await Promise.all([
        getFrom(`${lb.urls.web}/api/products?pageSize=3&pageIndex=${n % 3}`, client),
        getFrom(`${lb.urls.mobile}/api/products?limit=4`, client),
      ]);
      statuses.push(w.status, m.status);
      n++;
    }
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(Object.values(await lb.states())).toEqual(['UP', 'UP', 'UP', 'UP']);
    expect([...web, ...mobile].every((b) => b.child.exitCode === null)).toBe(true);
  });
});
