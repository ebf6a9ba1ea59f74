import { CanActivate, ExecutionContext, Injectable, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AuthUnavailableError, InvalidTokenError, JwtVerifier, type Principal } from '@app/auth';

export interface AuthenticatedRequest extends FastifyRequest {
  principal: Principal;
}

/** 401 without a valid bearer token; 503 when the key set cannot be fetched (not the caller's fault). */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(private readonly verifier: JwtVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    try {
      const token = JwtVerifier.bearerToken(req.headers.authorization);
      if (token === undefined) throw new UnauthorizedException('A bearer token is required');
      req.principal = await this.verifier.verify(token);
      return true;
    } catch (err) {
      if (err instanceof InvalidTokenError) throw new UnauthorizedException(err.message);
      if (err instanceof AuthUnavailableError) throw new ServiceUnavailableException('Tokens cannot be checked right now');
      throw err;
    }
  }
}
