/** The throttler every counted route is subject to: RATE_LIMIT_MAX per RATE_LIMIT_WINDOW_MS. */
export const DEFAULT_RATE_LIMIT = 'default';

/** The stricter class for placing orders; a route opts in with `@RateLimitClass(CHECKOUT_RATE_LIMIT)`. */
export const CHECKOUT_RATE_LIMIT = 'checkout';

/** Reflect-metadata key of `@RateLimitClass(...)`: the extra classes a route is counted in. */
export const RATE_LIMIT_CLASS = 'bff:rate-limit-class';

/** Injection token of the resolved `RateLimitSettings`. */
export const RATE_LIMIT_SETTINGS = Symbol('RATE_LIMIT_SETTINGS');

/** Injection token of the `ThrottlerStorage` the guard counts in (memory, or Redis with a local fallback). */
export const RATE_LIMIT_STORAGE = Symbol('RATE_LIMIT_STORAGE');
