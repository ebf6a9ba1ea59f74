import { createHmac, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { sendJson, startTestServer, type TestServer } from './test-server';

export interface TokenOptions {
  sub?: string;
  aud?: string;
  iss?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  name?: string;
  scope?: string;
}

/** An identity provider for tests: an RS256 key, its JWKS on a real loopback server, and a token minter. */
export class TestIdentity {
  private constructor(
    private readonly server: TestServer,
    private readonly privateKey: KeyLike,
    readonly publicJwk: JWK,
    readonly kid: string,
  ) {}

  static async start(): Promise<TestIdentity> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    const server = await startTestServer((req, res) => {
      if (req.url === '/.well-known/jwks.json') return sendJson(res, 200, { keys: [publicJwk] });
      sendJson(res, 404, { title: 'Not Found' });
    });
    return new TestIdentity(server, privateKey, publicJwk, kid);
  }

  get issuer(): string {
    return this.server.url;
  }
  get jwksUrl(): string {
    return `${this.server.url}/.well-known/jwks.json`;
  }

  token(opts: TokenOptions = {}): Promise<string> {
    return TestIdentity.sign(this.privateKey, this.kid, 'RS256', { iss: this.issuer, aud: 'web-bff', ...opts });
  }

  /** A token signed by a key the JWKS does not publish. */
  async tokenFromUnknownKey(opts: TokenOptions = {}): Promise<string> {
    const { privateKey } = await generateKeyPair('RS256');
    return TestIdentity.sign(privateKey, randomUUID(), 'RS256', { iss: this.issuer, aud: 'web-bff', ...opts });
  }

  /** `alg: none`, no signature. */
  unsignedToken(opts: TokenOptions = {}): string {
    const header = b64({ alg: 'none', typ: 'JWT' });
    return `${header}.${b64(this.claims({ iss: this.issuer, aud: 'web-bff', ...opts }))}.`;
  }

  /** The classic key-confusion attack: HS256 with the public key (as PEM-ish JSON) as the HMAC secret. */
  hs256WithPublicKey(opts: TokenOptions = {}): string {
    const header = b64({ alg: 'HS256', typ: 'JWT', kid: this.kid });
    const payload = b64(this.claims({ iss: this.issuer, aud: 'web-bff', ...opts }));
    const sig = createHmac('sha256', JSON.stringify(this.publicJwk)).update(`${header}.${payload}`).digest('base64url');
    return `${header}.${payload}.${sig}`;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private claims(opts: TokenOptions & { iss: string; aud: string }): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    return { sub: opts.sub ?? 'alice', iss: opts.iss, aud: opts.aud, iat: now, exp: now + (opts.expiresIn ?? 3600), name: opts.name };
  }

  private static sign(key: KeyLike, kid: string, alg: string, opts: TokenOptions & { iss: string; aud: string }): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    let jwt = new SignJWT({ name: opts.name, scope: opts.scope })
      .setProtectedHeader({ alg, kid, typ: 'JWT' })
      .setSubject(opts.sub ?? 'alice')
      .setIssuer(opts.iss)
      .setAudience(opts.aud)
      .setIssuedAt(now - 5)
      .setExpirationTime(now + (opts.expiresIn ?? 3600));
    if ((opts.expiresIn ?? 3600) < 0) jwt = jwt.setIssuedAt(now - 7200);
    return jwt.sign(key);
  }
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
