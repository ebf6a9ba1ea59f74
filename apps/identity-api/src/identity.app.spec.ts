import { generateKeyPairSync } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { InvalidTokenError, JwtVerifier } from '@app/auth';
import { DEMO_USERS, createIdentityApp } from './identity.app';

const ISSUER = 'http://identity.test';

describe('identity-api (over HTTP)', () => {
  let app: NestFastifyApplication;
  let base: string;

  const form = (fields: Record<string, string>) =>
    fetch(`${base}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  const json = (body: unknown) =>
    fetch(`${base}/connect/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const verifier = (audience: string | string[]) => new JwtVerifier({ jwksUrl: `${base}/.well-known/jwks.json`, issuer: ISSUER, audience });

  beforeAll(async () => {
    app = await createIdentityApp({ issuer: ISSUER });
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(() => app.close());

  it('publishes the signing key and the discovery document', async () => {
    const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String), n: expect.any(String), e: 'AQAB' });
    expect(jwks.keys[0]).not.toHaveProperty('d'); // never the private part

    const config = await (await fetch(`${base}/.well-known/openid-configuration`)).json();
    expect(config).toMatchObject({
      issuer: ISSUER,
      jwks_uri: `${ISSUER}/.well-known/jwks.json`,
      token_endpoint: `${ISSUER}/connect/token`,
    });
  });

  it('issues a web-bff token to web-spa (form body) that @app/auth accepts', async () => {
    const res = await form({ grant_type: 'password', username: 'alice', password: 'Pass123$', client_id: 'web-spa' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { access_token: string };
    expect(body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'openid profile basket orders',
    });

    const header = decodeProtectedHeader(body.access_token);
    const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> };
    expect(header).toMatchObject({ alg: 'RS256', kid: jwks.keys[0].kid });
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({ iss: ISSUER, aud: 'web-bff', sub: DEMO_USERS[0].sub, name: 'Alice Smith', jti: expect.any(String) });
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);

    const principal = await verifier('web-bff').verify(body.access_token);
    expect(principal).toMatchObject({ sub: DEMO_USERS[0].sub, name: 'Alice Smith', scopes: ['openid', 'profile', 'basket', 'orders'] });
    await expect(verifier('mobile-bff').verify(body.access_token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('issues a mobile-bff token to mobile-app (JSON body), echoing the requested scope', async () => {
    const res = await json({
      grant_type: 'password',
      username: 'bob',
      password: 'Pass123$',
      client_id: 'mobile-app',
      scope: 'openid basket',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; scope: string };
    expect(body.scope).toBe('openid basket');
    const principal = await verifier(['web-bff', 'mobile-bff']).verify(body.access_token);
    expect(principal).toMatchObject({ sub: DEMO_USERS[1].sub, name: 'Bob Jones', scopes: ['openid', 'basket'] });
    expect(decodeJwt(body.access_token).aud).toBe('mobile-bff');
  });

  it('answers OAuth2 errors with 400 { error }', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ grant_type: 'password', username: 'alice', password: 'wrong', client_id: 'web-spa' }, 'invalid_grant'],
      [{ grant_type: 'password', username: 'mallory', password: 'Pass123$', client_id: 'web-spa' }, 'invalid_grant'],
      [{ grant_type: 'password', username: 'alice', password: 'Pass123$', client_id: 'evil-app' }, 'invalid_client'],
      [{ grant_type: 'client_credentials', client_id: 'web-spa' }, 'unsupported_grant_type'],
      [{ username: 'alice', password: 'Pass123$', client_id: 'web-spa' }, 'invalid_request'],
      [{ grant_type: 'password', password: 'Pass123$', client_id: 'web-spa' }, 'invalid_request'],
      [{ grant_type: 'password', username: 'alice', password: 'Pass123$' }, 'invalid_request'],
    ];
    for (const [fields, error] of cases) {
      const res = await form(fields);
      expect({ fields, status: res.status }).toEqual({ fields, status: 400 });
      expect(await res.json()).toMatchObject({ error });
    }
    const res = await json({ grant_type: 'password', username: ['alice', 'bob'], password: 'Pass123$', client_id: 'web-spa' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('answers malformed bodies and unknown routes with { title, status }', async () => {
    const bad = await fetch(`${base}/connect/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ title: 'Bad Request', status: 400 });
    const missing = await fetch(`${base}/nothing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ title: 'Not Found', status: 404 });
  });

  it('signs with a configured PKCS#8 key, so tokens survive a restart', async () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const kids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const pinned = await createIdentityApp({ issuer: ISSUER, privateKeyPem: pem.replace(/\n/g, '\\n') });
      try {
        await pinned.listen(0, '127.0.0.1');
        const url = (await pinned.getUrl()).replace('[::1]', '127.0.0.1');
        const jwks = (await (await fetch(`${url}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> };
        kids.push(jwks.keys[0].kid);
      } finally {
        await pinned.close();
      }
    }
    expect(kids[0]).toBe(kids[1]);
    await expect(createIdentityApp({ issuer: ISSUER, privateKeyPem: 'not a key' })).rejects.toThrow();
  });
});
