import { Inject, Injectable } from '@nestjs/common';
import { randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { SigningKey, SIGNING_ALG } from '../keys/signing-key';
import { CLIENT_AUDIENCES, DEFAULT_SCOPE, DEMO_USERS, type DemoUser } from './demo-users';

export const IDENTITY_OPTIONS = Symbol('IDENTITY_OPTIONS');

export interface IdentitySettings {
  issuer: string;
  tokenLifetimeSec: number;
}

export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type';

/** An OAuth2 token-endpoint error (RFC 6749 §5.2); answered as 400 `{ error, error_description }`. */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
  ) {
    super(description);
  }
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

// RFC 6749 scope-token characters, space separated.
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/;

@Injectable()
export class TokenService {
  constructor(
    private readonly key: SigningKey,
    @Inject(IDENTITY_OPTIONS) private readonly settings: IdentitySettings,
  ) {}

  /** Resource-owner password grant for the demo users; the only grant this sample supports. */
  async issue(params: Record<string, unknown>): Promise<TokenResponse> {
    const grantType = field(params, 'grant_type');
    if (grantType === undefined) throw new OAuthError('invalid_request', 'grant_type is required');
    if (grantType !== 'password') throw new OAuthError('unsupported_grant_type', 'Only the password grant is supported');

    const clientId = field(params, 'client_id');
    if (clientId === undefined) throw new OAuthError('invalid_request', 'client_id is required');
    const audience = Object.hasOwn(CLIENT_AUDIENCES, clientId) ? CLIENT_AUDIENCES[clientId] : undefined;
    if (audience === undefined) throw new OAuthError('invalid_client', 'Unknown client');

    const username = field(params, 'username');
    const password = field(params, 'password');
    if (username === undefined || password === undefined) {
      throw new OAuthError('invalid_request', 'username and password are required');
    }
    const user = findUser(username, password);
    if (!user) throw new OAuthError('invalid_grant', 'The username or password is incorrect');

    const requested = field(params, 'scope')?.trim();
    const scope = requested ? requested.replace(/ +/g, ' ') : DEFAULT_SCOPE;
    if (!SCOPE.test(scope)) throw new OAuthError('invalid_request', 'scope is malformed');

    const now = Math.floor(Date.now() / 1000);
    const accessToken = await new SignJWT({ name: user.name, scope, client_id: clientId })
      .setProtectedHeader({ alg: SIGNING_ALG, kid: this.key.kid, typ: 'JWT' })
      .setIssuer(this.settings.issuer)
      .setAudience(audience)
      .setSubject(user.sub)
      .setIssuedAt(now)
      .setExpirationTime(now + this.settings.tokenLifetimeSec)
      .setJti(randomUUID())
      .sign(this.key.privateKey);

    return { access_token: accessToken, token_type: 'Bearer', expires_in: this.settings.tokenLifetimeSec, scope };
  }
}

/** A single string parameter; a repeated or non-string one is a malformed request. */
function field(params: Record<string, unknown>, name: string): string | undefined {
  const value = Object.hasOwn(params, name) ? params[name] : undefined;
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new OAuthError('invalid_request', `${name} must be a single string`);
  return value;
}

// Hashing first gives equal-length buffers, so the comparison time does not depend on the input.
const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

function findUser(username: string, password: string): DemoUser | undefined {
  const user = DEMO_USERS.find((u) => u.username === username.toLowerCase());
  const passwordMatches = timingSafeEqual(digest(password), digest(user?.password ?? '\0no-user'));
  return user && passwordMatches ? user : undefined;
}
