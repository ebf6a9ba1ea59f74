import { sleep, TestIdentity } from '@app/testing';
import { InvalidTokenError } from './auth.errors';
import { JwtVerifier } from './jwt-verifier';

describe('JwtVerifier', () => {
  let identity: TestIdentity;
  let verifier: JwtVerifier;

  beforeAll(async () => {
    identity = await TestIdentity.start();
    verifier = new JwtVerifier({ jwksUrl: identity.jwksUrl, issuer: identity.issuer, audience: 'web-bff', clockToleranceSec: 0 });
  });
  afterAll(() => identity.close());

  it('verifies once, then trusts the same token from its cache without asking the JWKS again', async () => {
    const token = await identity.token({ sub: 'c1', scope: 'basket orders' });
    const first = await verifier.verify(token);
    expect(first).toMatchObject({ sub: 'c1', scopes: ['basket', 'orders'] });
    await identity.close(); // the JWKS is gone: only the cache can answer now
    await expect(verifier.verify(token)).resolves.toEqual(first);
    identity = await TestIdentity.start();
  });

  it('does not trust a cached token past its expiry', async () => {
    const v = new JwtVerifier({ jwksUrl: identity.jwksUrl, issuer: identity.issuer, audience: 'web-bff', clockToleranceSec: 0 });
    const token = await identity.token({ sub: 'short', expiresIn: 2 });
    await expect(v.verify(token)).resolves.toMatchObject({ sub: 'short' });
    await sleep(2100);
    await expect(v.verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('never caches a refusal', async () => {
    const bad = await identity.token({ aud: 'mobile-bff' });
    await expect(verifier.verify(bad)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verifier.verify(bad)).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
