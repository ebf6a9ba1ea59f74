import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '@app/auth';
import type { AuthenticatedRequest } from './bearer-auth.guard';

/** The verified caller; only valid on routes behind BearerAuthGuard. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal,
);
