import { Injectable } from '@nestjs/common';

/**
 * Plain counters the rate limiter bumps (no allocation, no I/O), for a metrics module to read at
 * scrape time, e.g. a prom-client Counter/Gauge whose `collect()` copies these values.
 * Injectable anywhere once `RateLimitModule.forRoot` is imported (the module is global).
 */
@Injectable()
export class RateLimitCounters {
  /** Requests answered 429, all classes together. */
  limited = 0;
  /** Requests answered 429, per rate-limit class (`default`, `checkout`). */
  readonly limitedBy: Record<string, number> = {};
  /** Counter updates made in process memory because Redis could not be used for them. */
  localFallbacks = 0;
  /** Redis outages seen (each one logged once). */
  redisOutages = 0;
  /** Whether Redis currently answers; undefined when no REDIS_URL is configured. */
  redisAvailable: boolean | undefined = undefined;

  /** @internal called by the guard on every 429. */
  recordLimited(className: string): void {
    this.limited++;
    this.limitedBy[className] = (this.limitedBy[className] ?? 0) + 1;
  }
}
