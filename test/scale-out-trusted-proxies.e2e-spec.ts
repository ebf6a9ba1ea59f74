import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { bffEnv, listen, startContractDouble, testConfig, TestIdentity, type RunningApp, type TestServer } from '@app/testing';
import { getFrom } from './support/scale-out-rig';

/**
 * TRUSTED_PROXIES (CONTRACTS §2): X-Forwarded-For is believed only from the listed peers; the client
 * is the rightmost address not in the list, and rate limits, the IP allowlist and the request logs use
 * it. Loopback aliases (127.0.0.2, 127.0.0.3 …) stand in for a proxy and for clients calling directly.
 */
describe('TRUSTED_PROXIES', () => {
  let identity: TestIdentity;
  let double: TestServer;
  let behindProxy: RunningApp;
  let noProxy: RunningApp;
  const lines: string[] = [];

  beforeAll(async () => {
    identity = await TestIdentity.start();
    double = await startContractDouble();
    const env = bffEnv(identity, double.url, { CACHE_TTL_MS: '0', RATE_LIMIT_MAX: '3' });
    behindProxy = await listen(
      await createWebBff({
        ...testConfig('web-bff', {
          ...env,
          LOG_LEVEL: 'info',
          // 127.0.0.1 is the load balancer, 10.9.0.0/16 an ingress tier behind it.
          TRUSTED_PROXIES: '127.0.0.1, 10.9.0.0/16',
          IP_ALLOWLIST: '10.1.0.0/16, 127.0.0.2',
        }),
        logStream: { write: (l) => void lines.push(l) },
      }),
    );
    noProxy = await listen(await createWebBff(testConfig('web-bff', env)));
  });
  afterAll(async () => {
    await behindProxy?.close();
    await noProxy?.close();
    await double?.close();
    await identity?.close();
  });

  const viaProxy = (xff: string) => getFrom(`${behindProxy.url}/api/products?pageSize=1`, '127.0.0.1', { 'x-forwarded-for': xff });
  const logged = (reqId: string) =>
    lines
      .map((l) => JSON.parse(l) as { reqId?: string; clientIp?: string; msg?: string })
      .find((l) => l.reqId === reqId && l.msg === 'request');

  it('takes the client from X-Forwarded-For of a trusted peer, skipping trusted hops, and logs it', async () => {
    const r = await viaProxy('203.0.113.50, 10.1.4.4, 10.9.0.7');
    expect(r.status).toBe(200);
    await new Promise((res) => setTimeout(res, 20));
    expect(logged(String(r.headers['x-request-id']))?.clientIp).toBe('10.1.4.4');
  });

  it('applies the allowlist to that client, not to the proxy', async () => {
    expect((await viaProxy('10.1.2.3')).status).toBe(200);
    const refused = await viaProxy('192.0.2.9');
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
  });

  it('ignores X-Forwarded-For from a peer that is not listed (a client sent it itself)', async () => {
    // 127.0.0.2 is allowlisted, 10.1.2.3 is too: the header must not choose the address.
    expect((await getFrom(`${behindProxy.url}/api/products?pageSize=1`, '127.0.0.3', { 'x-forwarded-for': '10.1.2.3' })).status).toBe(403);
    const direct = await getFrom(`${behindProxy.url}/api/products?pageSize=1`, '127.0.0.2', { 'x-forwarded-for': '192.0.2.9' });
    expect(direct.status).toBe(200);
    await new Promise((res) => setTimeout(res, 20));
    expect(logged(String(direct.headers['x-request-id']))?.clientIp).toBe('127.0.0.2');
  });

  it('gives every forwarded client its own rate-limit budget', async () => {
    const a = [];
    for (let i = 0; i < 4; i++) a.push((await viaProxy('10.1.7.1')).status);
    expect(a).toEqual([200, 200, 200, 429]);
    expect((await viaProxy('10.1.7.2')).status).toBe(200);
  });

  it('counts gateway passthrough routes per forwarded client too', async () => {
    const brands = (xff: string) => getFrom(`${behindProxy.url}/api/catalog/brands`, '127.0.0.1', { 'x-forwarded-for': xff });
    const a = [];
    for (let i = 0; i < 4; i++) a.push((await brands('10.1.6.1')).status);
    expect(a).toEqual([200, 200, 200, 429]);
    expect((await brands('10.1.6.2')).status).toBe(200);
  });

  it('counts a direct caller by its own address however it varies X-Forwarded-For', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await getFrom(`${behindProxy.url}/api/products?pageSize=1`, '127.0.0.2', { 'x-forwarded-for': `10.1.8.${i}` })).status,
      );
    }
    // One request of 127.0.0.2's budget was spent in the test above.
    expect(statuses).toEqual([200, 200, 429, 429]);
  });

  it('trusts nobody when TRUSTED_PROXIES is unset', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await getFrom(`${noProxy.url}/api/products?pageSize=1`, '127.0.0.1', { 'x-forwarded-for': `10.1.9.${i}` })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
