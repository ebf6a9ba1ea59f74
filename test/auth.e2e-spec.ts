import { createMobileBff } from '../apps/mobile-bff/src/mobile-bff.app';
import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { bffEnv, startBff, startContractDouble, type RunningApp, type TestServer, TestIdentity } from '@app/testing';

/** Every way a token can be wrong is a 401 problem+json; the buyer is always the token's `sub`. */
describe('authentication', () => {
  let identity: TestIdentity;
  let double: TestServer;
  let web: RunningApp;
  let mobile: RunningApp;

  beforeAll(async () => {
    identity = await TestIdentity.start();
    double = await startContractDouble();
    const env = bffEnv(identity, double.url);
    web = await startBff('web-bff', createWebBff, env);
    mobile = await startBff('mobile-bff', createMobileBff, env);
  });
  afterAll(async () => {
    await web?.close();
    await mobile?.close();
    await double?.close();
    await identity?.close();
  });

  const getBasket = (authorization?: string) =>
    fetch(`${web.url}/api/basket`, { headers: authorization ? { authorization } : {} });

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
