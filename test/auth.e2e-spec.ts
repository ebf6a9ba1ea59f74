import { createMobileBff } from '../apps/mobile-bff/src/mobile-bff.app';
import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { sendJson, startBffRig, startTestServer, TestIdentity, type BffRig, type RunningApp, type TestServer } from '@app/testing';

/** Every way a token can be wrong is a 401 problem+json; the buyer is always the token's `sub`. */
describe('authentication', () => {
  let rig: BffRig;
  let identity: TestIdentity;
  let double: TestServer;
  let web: RunningApp;
  let mobile: RunningApp;

  beforeAll(async () => {
    rig = await startBffRig({ bffs: { 'web-bff': createWebBff, 'mobile-bff': createMobileBff } });
    identity = rig.identity;
    double = rig.double!;
    web = rig.apps['web-bff']!;
    mobile = rig.apps['mobile-bff']!;
  });
  afterAll(() => rig?.close());

  const getBasket = (authorization?: string) => fetch(`${web.url}/api/basket`, { headers: authorization ? { authorization } : {} });

  const expect401 = async (res: Response) => {
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ status: 401, title: 'Unauthorized', requestId: expect.any(String) });
    return body;
  };

  it('accepts a valid token and uses its sub as the buyer', async () => {
    const res = await getBasket(`Bearer ${await identity.token({ sub: 'buyer-42' })}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).buyerId).toBe('buyer-42');
    const basketCall = double.requests.find((r) => r.url.startsWith('/api/v1/basket/'));
    expect(basketCall?.url).toBe('/api/v1/basket/buyer-42');
    expect(basketCall?.headers.authorization).toMatch(/^Bearer /);
  });

  it('refuses a missing token on a required route', async () => {
    expect((await expect401(await getBasket())).detail).toMatch(/required/);
  });

  it.each<[string, () => Promise<string>]>([
    ['an expired token', () => identity.token({ expiresIn: -600 })],
    ['a token for another audience', () => identity.token({ aud: 'mobile-bff' })],
    ['a token from another issuer', () => identity.token({ iss: 'https://evil.example' })],
    ['an alg:none token', async () => identity.unsignedToken()],
    ['an HS256 token signed with the public key', async () => identity.hs256WithPublicKey()],
    ['a token signed by an unknown key', () => identity.tokenFromUnknownKey()],
    ['garbage', async () => 'not-a-jwt'],
  ])('refuses %s with 401', async (_name, make) => {
    const before = double.requests.length;
    await expect401(await getBasket(`Bearer ${await make()}`));
    expect(double.requests.slice(before).some((r) => r.url.startsWith('/api/v1/basket'))).toBe(false);
  });

  it('refuses a non-bearer scheme', async () => {
    await expect401(await getBasket('Basic YWxpY2U6cGFzcw=='));
  });

  it('treats a bad token on an optional route as 401, not as anonymous', async () => {
    await expect401(await fetch(`${web.url}/api/home`, { headers: { authorization: `Bearer ${identity.unsignedToken()}` } }));
  });

  it('keeps the audiences apart: a web token is refused by mobile-bff and a mobile token by web-bff', async () => {
    const mobileToken = await identity.token({ aud: 'mobile-bff' });
    await expect401(await getBasket(`Bearer ${mobileToken}`));
    const webToken = await identity.token({ aud: 'web-bff' });
    // mobile-bff's checkout route is shared and authenticated: the audience check runs before validation.
    await expect401(
      await fetch(`${mobile.url}/api/checkout`, {
        method: 'POST',
        headers: { authorization: `Bearer ${webToken}`, 'content-type': 'application/json' },
        body: '{}',
      }),
    );
  });
});

describe('authentication when identity misbehaves', () => {
  it.each([
    ['answers 500', (res: import('node:http').ServerResponse) => res.writeHead(500).end('boom')],
    [
      'stalls mid-body',
      (res: import('node:http').ServerResponse) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"keys":');
      },
    ],
  ])('answers 503 within the deadline, not 401, when the JWKS %s — and recovers', async (_name, fault) => {
    const identity = await TestIdentity.start();
    let broken = true;
    const jwks = await startTestServer(async (req, res) => {
      if (broken) return fault(res);
      const real = await fetch(identity.jwksUrl);
      sendJson(res, 200, await real.json());
    });
    const rig = await startBffRig({
      identity,
      env: { AUTH_JWKS_URL: `${jwks.url}/jwks`, REQUEST_TIMEOUT_MS: '800', DOWNSTREAM_TIMEOUT_MS: '400' },
      bffs: { 'web-bff': createWebBff },
    });
    const bff = rig.apps['web-bff']!;
    try {
      const token = await identity.token();
      const started = Date.now();
      const res = await fetch(`${bff.url}/api/basket`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      expect(Date.now() - started).toBeLessThan(900);
      broken = false;
      // A stalled fetch is given up after its own 2 s limit; then the next request fetches afresh.
      let status = 0;
      for (let i = 0; i < 30 && status !== 200; i++) {
        status = (await fetch(`${bff.url}/api/basket`, { headers: { authorization: `Bearer ${token}` } })).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
    } finally {
      await rig.close();
      await Promise.all([jwks.close(), identity.close()]);
    }
  });
});
