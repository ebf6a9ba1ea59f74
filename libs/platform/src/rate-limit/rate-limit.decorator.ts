import { SetMetadata } from '@nestjs/common';
import { RATE_LIMIT_CLASS } from './rate-limit.constants';

/**
 * Counts a route (or every route of a controller) in the named rate-limit classes as well as in the
 * default one, e.g. `@RateLimitClass('checkout')` on `POST /api/checkout`. A class must be one that
 * `RateLimitModule.forRoot` configures; an unknown name is logged once and ignored.
 */
export const RateLimitClass = (...names: string[]) => SetMetadata(RATE_LIMIT_CLASS, names);
