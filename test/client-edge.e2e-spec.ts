import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { createMobileBff } from '../apps/mobile-bff/src/mobile-bff.app';
import { bffEnv, startBff, startContractDouble, TestIdentity, type RunningApp, type TestServer } from '@app/testing';

/** What a real browser or HTTP client relies on at the edge (issue 8 §4): CORS, 405 with Allow, the Bearer scheme. */
describe('client-facing edge behaviour of both BFFs', () => {
  let identity: TestIdentity;
  let double: TestServer;
  let web: RunningApp;
  let mobile: RunningApp;
  const SPA = 'http://localhost:3000';

  beforeAll(async () => {
    identity = await TestIdentity.start();
    double = await startContractDouble();
    const env = bffEnv(identity, double.url, { CACHE_TTL_MS: '0' });
    web = await startBff('web-bff', createWebBff, env);
    mobile = await startBff('mobile-bff', createMobileBff, env);
  });
  afterAll(async () => {
    await web?.close();
    await mobile?.close();
    await double?.close();
    await identity?.close();
  });

  const corsHeaders = (h: Headers) => [...h.keys()].filter((k) => k.startsWith('access-control-'));

  describe('CORS', () => {
    it.each(['PUT', 'DELETE', 'POST'])('grants an allowed origin a %s preflight with the headers the API uses', async (method) => {
      const r = await fetch(`${web.url}/api/basket/items`, {
        method: 'OPTIONS',
        headers: {
          origin: SPA,
          'access-control-request-method': method,
          'access-control-request-headers': 'authorization, content-type, idempotency-key, if-none-match',
        },
      });
      expect(r.status).toBe(204);
      expect(r.headers.get('access-control-allow-origin')).toBe(SPA);
      expect(r.headers.get('access-control-allow-credentials')).toBe('true');
      const methods = r.headers.get('access-control-allow-methods')!.split(/,\s*/);
      expect(methods).toEqual(expect.arrayContaining(['GET', 'HEAD', 'POST', 'PUT', 'DELETE']));
      const allowed = r.headers.get('access-control-allow-headers')!.toLowerCase().split(/,\s*/);
      expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key', 'if-none-match']));
    });

    it('grants a foreign origin nothing, on a preflight or a request', async () => {
      const pre = await fetch(`${web.url}/api/basket/items`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://evil.example',
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'authorization',
        },
      });
      expect(corsHeaders(pre.headers)).toEqual([]);
      const get = await fetch(`${web.url}/api/home`, { headers: { origin: 'https://evil.example' } });
      expect(get.status).toBe(200);
      expect(corsHeaders(get.headers)).toEqual([]);
    });

    it('sends CORS headers only on requests with an allowed Origin', async () => {
      const plain = await fetch(`${web.url}/api/home`);
      expect(corsHeaders(plain.headers)).toEqual([]);
      const fromSpa = await fetch(`${web.url}/api/home`, { headers: { origin: SPA } });
      expect(fromSpa.headers.get('access-control-allow-origin')).toBe(SPA);
      expect(fromSpa.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
      expect(fromSpa.headers.get('vary')).toMatch(/origin/i);
      // mobile-bff has no browser origins by default: never any CORS header.
      const mobileAnswer = await fetch(`${mobile.url}/api/home`, { headers: { origin: SPA } });
      expect(corsHeaders(mobileAnswer.headers)).toEqual([]);
    });
  });

  describe('405 with Allow for a known path called with a method it does not serve', () => {
    it.each([
      ['web', 'POST', '/api/home', 'GET, HEAD'],
      ['web', 'DELETE', '/api/products/7', 'GET, HEAD'],
      ['web', 'GET', '/api/basket/items', 'POST, PUT'],
      ['web', 'GET', '/api/checkout', 'POST'],
      ['web', 'PUT', '/api/orders/12/cancel', 'POST'],
      ['web', 'POST', '/api/catalog/brands', 'GET, HEAD'],
      ['mobile', 'POST', '/api/home', 'GET, HEAD'],
      ['mobile', 'DELETE', '/api/orders', 'GET, HEAD'],
      ['mobile', 'PUT', '/api/catalog/brands', 'GET, HEAD'],
    ])('%s-bff: %s %s → 405, Allow: %s', async (app, method, path, allow) => {
      const before = double.requests.length;
      const r = await fetch(`${(app === 'web' ? web : mobile).url}${path}`, { method });
      expect(r.status).toBe(405);
      expect(r.headers.get('allow')).toBe(allow);
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const body = (await r.json()) as { detail: string; requestId: string };
      expect(body).toMatchObject({ status: 405, title: 'Method Not Allowed', instance: path });
      expect(body.detail).toContain(method);
      expect(body.requestId).toBe(r.headers.get('x-request-id'));
      expect(double.requests.length).toBe(before);
    });

    it('keeps 404 for a path no route serves', async () => {
      for (const method of ['GET', 'POST']) {
        const r = await fetch(`${web.url}/api/nowhere/at/all`, { method });
        expect(r.status).toBe(404);
        expect(r.headers.get('allow')).toBeNull();
      }
    });

    it('answers a plain OPTIONS on a known path with Allow', async () => {
      const r = await fetch(`${web.url}/api/basket/items`, { method: 'OPTIONS' });
      expect(r.status).toBe(204);
      expect(r.headers.get('allow')).toBe('POST, PUT, OPTIONS');
    });
  });

  describe('the Bearer scheme is case-insensitive (RFC 9110)', () => {
    it.each(['bearer', 'BEARER', 'BeArEr'])('"%s <token>" is accepted by both BFFs, relayed downstream as "Bearer"', async (scheme) => {
      const token = await identity.token({ sub: `case-${scheme}` });
      for (const [bff, audience] of [
        [web, 'web-bff'],
        [mobile, 'mobile-bff'],
      ] as const) {
        const t = audience === 'web-bff' ? token : await identity.token({ sub: `case-${scheme}`, aud: 'mobile-bff' });
        const before = double.requests.length;
        const r = await fetch(`${bff.url}/api/basket`, { headers: { authorization: `${scheme} ${t}` } });
        expect(r.status).toBe(200);
        const relayed = double.requests.slice(before).find((q) => q.url?.includes('basket'));
        expect(relayed?.headers.authorization).toBe(`Bearer ${t}`);
      }
    });

    it('still refuses other schemes', async () => {
      const r = await fetch(`${web.url}/api/basket`, { headers: { authorization: 'Basic YWxpY2U6c2VjcmV0' } });
      expect(r.status).toBe(401);
    });
  });
});
