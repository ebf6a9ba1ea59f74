import type { BffConfig, BffName } from '@app/config';
import { CHECKOUT_RATE_LIMIT, DEFAULT_RATE_LIMIT } from './rate-limit.constants';

/** What a 429 is reported with to `onLimited` (built only on the 429 path). */
export interface RateLimitedEvent {
  /** The class whose budget ran out: `default` or `checkout`. */
  className: string;
  /** Whether the caller was counted by token `sub` or by IP. */
  trackedBy: 'user' | 'ip';
  /** The route pattern, e.g. `/api/checkout`. */
  route: string;
  retryAfterSec: number;
}

export interface RateLimitOptions {
  /**
   * Prefix of every counter key (in Redis and in memory). Default `rl:<app>:`, so web-bff and
   * mobile-bff never share counters while the replicas of one BFF do.
   */
  keyPrefix?: string;
  /** Requests per window for the checkout class. Default `max(1, floor(RATE_LIMIT_MAX / 30))`. */
  checkoutLimit?: number;
  /** Called on every 429 (for metrics or audit logs); must not throw. */
  onLimited?: (event: RateLimitedEvent) => void;
  /** Redis client limits; the defaults suit a Redis in the same network. */
  redis?: { connectTimeoutMs?: number; commandTimeoutMs?: number; probeIntervalMs?: number };
}

export interface RateLimitClassSettings {
  name: string;
  limit: number;
  windowMs: number;
}

/** Everything the module, guard and storage need, resolved once at start. */
export interface RateLimitSettings {
  app: BffName;
  keyPrefix: string;
  /** `default` first; the others are opt-in classes. */
  classes: RateLimitClassSettings[];
  redisUrl?: string;
  redis: { connectTimeoutMs: number; commandTimeoutMs: number; probeIntervalMs: number };
  onLimited?: (event: RateLimitedEvent) => void;
}

/**
 * The checkout class: one order attempt per 30 ordinary requests' worth of budget, at least one per
 * window (RATE_LIMIT_MAX 300 per 60 s → 10 checkouts per 60 s). Placing an order is the most
 * expensive and the most abused call (card testing), and no shopper checks out more than a few
 * times a minute.
 */
export function defaultCheckoutLimit(max: number): number {
  return Math.max(1, Math.floor(max / 30));
}

export function rateLimitSettings(config: BffConfig, options: RateLimitOptions = {}): RateLimitSettings {
  const { max, windowMs } = config.rateLimit;
  return {
    app: config.app,
    keyPrefix: options.keyPrefix ?? `rl:${config.app}:`,
    classes: [
      { name: DEFAULT_RATE_LIMIT, limit: max, windowMs },
      { name: CHECKOUT_RATE_LIMIT, limit: options.checkoutLimit ?? defaultCheckoutLimit(max), windowMs },
    ],
    redisUrl: config.redisUrl,
    redis: {
      connectTimeoutMs: options.redis?.connectTimeoutMs ?? 1000,
      commandTimeoutMs: options.redis?.commandTimeoutMs ?? 250,
      probeIntervalMs: options.redis?.probeIntervalMs ?? 1000,
    },
    onLimited: options.onLimited,
  };
}

/** `60 s`, `1.5 s`: the window as the 429's detail states it. */
export function formatWindow(windowMs: number): string {
  return `${Number((windowMs / 1000).toFixed(3))} s`;
}
