import { Inject, Injectable, Optional, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuthUnavailableError, InvalidTokenError, JwtVerifier } from '@app/auth';
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
    const header = req.headers.authorization;
    const token = JwtVerifier.bearerToken(header);
    if (!token) {
      if (mode === 'required') throw new InvalidTokenError('A bearer token is required');
      return true;
    }
    const principal = await withinDeadline(this.verifier.verify(token));
    const ctx = RequestContextStore.require();
    ctx.principal = { sub: principal.sub, name: principal.name, scopes: principal.scopes };
    // Relayed in the canonical spelling: a downstream that matches `Bearer` case-sensitively still accepts it.
    ctx.authorization = `Bearer ${token}`;
    return true;
  }
}

/** The verified caller's id (the token's `sub`); only call on `@Auth('required')` routes. */
export function currentBuyerId(): string {
  const sub = RequestContextStore.current()?.principal?.sub;
  if (!sub) throw new InvalidTokenError('A bearer token is required');
  return sub;
}

/** The caller's id, or undefined when anonymous. */
export function optionalBuyerId(): string | undefined {
  return RequestContextStore.current()?.principal?.sub;
}

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
