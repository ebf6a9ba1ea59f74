import { markPartStale } from '@app/context';
import { DownstreamError, DownstreamStatusError } from '../downstream.errors';
import type { Answer, Next, Policy, TransportCall } from './policy';
import { StaleCache } from './stale-cache';
import type { TransportStats } from './transport-stats';

/**
 * When a shared read fails (5xx, timeout, reset, open circuit, bad answer; never a 4xx), the last
 * good answer up to STALE_IF_ERROR_MS old stands in, and the part is flagged stale (`degraded`).
 */
export class StaleIfErrorPolicy implements Policy {
  private readonly copies: StaleCache;

  constructor(
    maxAgeMs: number,
    private readonly stats: TransportStats,
  ) {
    this.copies = new StaleCache(maxAgeMs);
  }

  execute(call: TransportCall, next: Next): Promise<Answer> {
    return call.shared ? this.covered(call, next) : next(call);
  }

  private async covered(call: TransportCall, next: Next): Promise<Answer> {
    call.fallbackReady = this.copies.recall(call.path) !== undefined;
    try {
      const res = await next(call);
      if (res.status === 200) this.copies.remember(call.path, res.body);
      return res;
    } catch (err) {
      if (!(err instanceof DownstreamError) || (err instanceof DownstreamStatusError && err.status < 500)) throw err;
      const value = this.copies.recall(call.path);
      if (value === undefined) throw err;
      this.stats.staleServed++;
      markPartStale();
      return { status: 200, body: value, stale: true };
    }
  }
}
