import { Inject, Injectable, Optional, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuthUnavailableError, JwtVerifier, MissingTokenError } from '@app/auth';
import { RequestContextStore, remainingMs } from '@app/context';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';

export type AuthMode = 'required' | 'optional' | 'none';
const AUTH_MODE = 'bff:auth-mode';

/** Declares how a route treats the caller: `required` (401 without a valid token), `optional`, or `none`. */
export const Auth = (mode: AuthMode) => SetMetadata(AUTH_MODE, mode);

export const JWT_VERIFIER = Symbol('JWT_VERIFIER');

/**
 * Verifies the bearer token (jose, JWKS cached) and puts the caller into the request context.
 * A token that is present but bad is a 401 even on `optional` routes: silently treating it as
 * anonymous would hide a client bug. A refused request still counts against the client address's
 * rate limit (the RateLimitGuard after this one never sees it), so tokens cannot be tried without limit.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(JWT_VERIFIER) private readonly verifier: JwtVerifier,
    @Optional() private readonly rateLimit?: RateLimitGuard,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const mode = this.reflector.getAllAndOverride<AuthMode | undefined>(AUTH_MODE, [context.getHandler(), context.getClass()]);
    if (!mode || mode === 'none') return true;
    try {
      return await this.authenticate(context, mode);
    } catch (err) {
      // Over the budget: the 429 replaces the refusal.
      await this.rateLimit?.countRefused(context);
      throw err;
    }
  }

  private async authenticate(context: ExecutionContext, mode: AuthMode): Promise<boolean> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    await authenticateCaller(this.verifier, req.headers.authorization, mode as Exclude<AuthMode, 'none'>);
    return true;
  }
}

/**
 * The platform's token check, shared by the guard and the gateway's passthrough routes: no token
 * is anonymous (or a 401 InvalidTokenError when required); a token is verified within the request
 * deadline (AuthUnavailableError → 503 when the key set cannot be had in time), and the caller and
 * its Authorization header go into the request context.
 */
export async function authenticateCaller(
  verifier: Pick<JwtVerifier, 'verify'>,
  header: string | undefined,
  mode: Exclude<AuthMode, 'none'>,
): Promise<void> {
  const token = JwtVerifier.bearerToken(header);
  if (!token) {
    if (mode === 'required') throw new MissingTokenError();
    return;
  }
  const principal = await withinDeadline(verifier.verify(token));
  const ctx = RequestContextStore.require();
  ctx.principal = { sub: principal.sub, name: principal.name, scopes: principal.scopes };
  // Relayed in the canonical spelling: a downstream that matches `Bearer` case-sensitively still accepts it.
  ctx.authorization = `Bearer ${token}`;
}

// The caller readers live beside the request context; re-exported here for existing imports.
export { currentBuyerId, optionalBuyerId } from '@app/context';

/** Token checks share the request deadline: a slow key-set fetch answers 503, never hangs the client. */
function withinDeadline<T>(work: Promise<T>): Promise<T> {
  const left = remainingMs();
  if (!Number.isFinite(left)) return work;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AuthUnavailableError('Tokens cannot be checked right now')), Math.max(0, left));
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
