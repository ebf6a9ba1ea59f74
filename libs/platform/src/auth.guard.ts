import { Inject, Injectable, Optional, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuthUnavailableError, JwtVerifier, MissingTokenError, type Principal } from '@app/auth';
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

  // Synchronous when nothing has to be waited for (no token, or one verified before): Nest then skips
  // its own promise per guard, and AsyncLocalStorage tracks fewer promises per request.
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const mode = this.reflector.getAllAndOverride<AuthMode | undefined>(AUTH_MODE, [context.getHandler(), context.getClass()]);
    if (!mode || mode === 'none') return true;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    let pending: Promise<void> | undefined;
    try {
      pending = authenticateCaller(this.verifier, req.headers.authorization, mode);
    } catch (err) {
      return this.refused(context, err);
    }
    return pending
      ? pending.then(
          () => true,
          (err: unknown) => this.refused(context, err),
        )
      : true;
  }

  private async refused(context: ExecutionContext, err: unknown): Promise<never> {
    await this.rateLimit?.countRefused(context);
    throw err;
  }
}

/**
 * The platform's token check, shared by the guard and the gateway's passthrough routes: no token
 * is anonymous (or a 401 InvalidTokenError when required); a token is verified within the request
 * deadline (AuthUnavailableError → 503 when the key set cannot be had in time), and the caller and
 * its Authorization header go into the request context. Returns (or throws) at once when no signature
 * has to be checked; else a promise.
 */
export function authenticateCaller(
  verifier: Pick<JwtVerifier, 'verify' | 'remembered'>,
  header: string | undefined,
  mode: Exclude<AuthMode, 'none'>,
): Promise<void> | undefined {
  const token = JwtVerifier.bearerToken(header);
  if (!token) {
    if (mode === 'required') throw new MissingTokenError();
    return undefined;
  }
  const known = verifier.remembered(token);
  if (known) return void admit(known, token);
  return withinDeadline(verifier.verify(token)).then((principal) => admit(principal, token));
}

function admit(principal: Principal, token: string): void {
  const ctx = RequestContextStore.require();
  ctx.principal = { sub: principal.sub, name: principal.name, scopes: principal.scopes };
  ctx.authorization = `Bearer ${token}`;
}

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
