import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { sendJson, sleep, startTestServer, TestIdentity } from '@app/testing';
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

  it('matches the Bearer scheme case-insensitively (RFC 9110) and refuses other schemes', () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) expect(JwtVerifier.bearerToken(`${scheme} a.b.c`)).toBe('a.b.c');
    expect(() => JwtVerifier.bearerToken('Basic a.b.c')).toThrow(InvalidTokenError);
    expect(() => JwtVerifier.bearerToken('Bearera.b.c')).toThrow(InvalidTokenError);
  });
});

describe('JwtVerifier clock skew (AUTH_CLOCK_SKEW_SEC)', () => {
  it('accepts a token from an issuer whose clock runs a few seconds ahead, within the allowance only', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'skew', alg: 'RS256' };
    const jwks = await startTestServer((_req, res) => sendJson(res, 200, { keys: [jwk] }));
    try {
      const now = Math.floor(Date.now() / 1000);
      // Minted on a clock 3 s ahead: issued and valid "in the future".
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid: 'skew' })
        .setSubject('skewed')
        .setIssuer('skew-issuer')
        .setAudience('web-bff')
        .setIssuedAt(now + 3)
        .setNotBefore(now + 3)
        .setExpirationTime(now + 600)
        .sign(privateKey);
      const options = { jwksUrl: jwks.url, issuer: 'skew-issuer', audience: 'web-bff' };
      await expect(new JwtVerifier({ ...options, clockToleranceSec: 5 }).verify(token)).resolves.toMatchObject({ sub: 'skewed' });
      await expect(new JwtVerifier(options).verify(token)).resolves.toMatchObject({ sub: 'skewed' });
      await expect(new JwtVerifier({ ...options, clockToleranceSec: 0 }).verify(token)).rejects.toThrow(/"nbf" claim/);
    } finally {
      await jwks.close();
    }
  });
});
