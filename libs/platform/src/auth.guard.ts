import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuthUnavailableError, InvalidTokenError, JwtVerifier } from '@app/auth';
import { RequestContextStore, remainingMs } from '@app/context';

export type AuthMode = 'required' | 'optional' | 'none';
const AUTH_MODE = 'bff:auth-mode';

/** Declares how a route treats the caller: `required` (401 without a valid token), `optional`, or `none`. */
export const Auth = (mode: AuthMode) => SetMetadata(AUTH_MODE, mode);

export const JWT_VERIFIER = Symbol('JWT_VERIFIER');

/**
 * Verifies the bearer token (jose, JWKS cached) and puts the caller into the request context.
 * A token that is present but bad is a 401 even on `optional` routes: silently treating it as
 * anonymous would hide a client bug.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(JWT_VERIFIER) private readonly verifier: JwtVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const mode = this.reflector.getAllAndOverride<AuthMode | undefined>(AUTH_MODE, [context.getHandler(), context.getClass()]);
    if (!mode || mode === 'none') return true;
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
    ctx.authorization = header;
    return true;
  }
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
