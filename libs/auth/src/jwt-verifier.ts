import { errors, jwtVerify, type JWTPayload } from 'jose';
import { AuthUnavailableError, InvalidTokenError } from './auth.errors';
import { JwksKeySource } from './jwks-key-source';
import { LRUCache } from 'lru-cache';

export interface JwtVerifierOptions {
  jwksUrl: string;
  issuer: string;
  /** One audience, or several (a downstream service accepts tokens minted for either BFF). */
  audience: string | string[];
  /** Seconds of clock skew tolerated on exp/nbf (AUTH_CLOCK_SKEW_SEC; default 5). */
  clockToleranceSec?: number;
}

/** The caller, as proven by a verified token. The buyer id is always `sub`. */
export interface Principal {
  sub: string;
  name?: string;
  scopes: string[];
  /** The raw bearer token, relayed unchanged to downstreams. */
  token: string;
}

// Asymmetric only: pinning the list is what defeats `alg: none` and HS256-with-the-public-key.
const ALGORITHMS = ['RS256', 'ES256'];
// The scheme is case-insensitive (RFC 9110 §11.1): `bearer x` and `BEARER x` are the same credentials.
const BEARER = /^Bearer +([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)$/i;

/** A verified token is trusted again until it expires, but at most this long (key rotation, revocation). */
const VERIFIED_TTL_MS = 5 * 60_000;

export class JwtVerifier {
  private readonly jwks: JwksKeySource;
  // Clients send the same token for an hour: verifying its signature once per request is wasted CPU.
  private readonly verified = new LRUCache<string, Principal>({ max: 10_000 });

  constructor(private readonly options: JwtVerifierOptions) {
    this.jwks = new JwksKeySource(options.jwksUrl, { timeoutMs: 2_000, maxAgeMs: 10 * 60_000, cooldownMs: 30_000 });
  }

  /** Extracts the token from an `Authorization` header value; undefined when there is none. */
  static bearerToken(header: string | undefined): string | undefined {
    if (header === undefined || header === '') return undefined;
    const match = BEARER.exec(header.trim());
    if (!match) throw new InvalidTokenError('The Authorization header is not a bearer JWT');
    return match[1];
  }

  /** The principal of a token verified before and not yet expired, without waiting (the request path's fast case). */
  remembered(token: string): Principal | undefined {
    return this.verified.get(token);
  }

  async verify(token: string): Promise<Principal> {
    const known = this.verified.get(token);
    if (known) return known;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks.resolve, {
        algorithms: ALGORITHMS,
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: this.options.clockToleranceSec ?? 5,
        requiredClaims: ['sub', 'exp', 'iss', 'aud'],
      }));
    } catch (err) {
      throw JwtVerifier.mapError(err);
    }
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) {
      throw new InvalidTokenError('The token has no subject');
    }
    const principal: Principal = {
      sub: payload.sub,
      name: typeof payload.name === 'string' ? payload.name : undefined,
      scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
      token,
    };
    const ttl = Math.min(VERIFIED_TTL_MS, (payload.exp as number) * 1000 - Date.now());
    if (ttl > 0) this.verified.set(token, principal, { ttl });
    return principal;
  }

  private static mapError(err: unknown): Error {
    if (err instanceof AuthUnavailableError) return err;
    if (err instanceof errors.JWTExpired) return new InvalidTokenError('The token has expired');
    if (err instanceof errors.JWTClaimValidationFailed) {
      return new InvalidTokenError(`The token's "${err.claim}" claim is not accepted`);
    }
    if (err instanceof errors.JOSEError) {
      // Unknown kid, bad signature, disallowed alg, malformed token: all the caller's problem.
      if (err instanceof errors.JWKSInvalid) return new AuthUnavailableError('The key set is invalid');
      return new InvalidTokenError('The token is not valid');
    }
    // fetch() failures (identity unreachable) surface as plain errors.
    return new AuthUnavailableError('The key set could not be fetched');
  }
}
