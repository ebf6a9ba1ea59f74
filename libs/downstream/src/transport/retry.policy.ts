import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { DownstreamConnectionError, DownstreamStatusError, DownstreamTimeoutError } from '../downstream.errors';
import type { Balancer } from './breaker.policy';
import type { Answer, Next, Policy, TransportCall } from './policy';
import type { RetryBudget } from './retry-budget';
import { MIN_ATTEMPT_MS, type TransportStats } from './transport-stats';

export interface RetryOptions {
  /** Retries after the first attempt (idempotent GETs only). */
  maxRetries: number;
  /** Full-jitter exponential backoff: random(0, min(maxDelayMs, baseDelayMs × 2^n)). */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxRetries: 2, baseDelayMs: 25, maxDelayMs: 250 };

const RETRYABLE_STATUSES = new Set([502, 503, 504]);

/**
 * Two kinds of retry. Failover: a connection that never carried the request (refused) — or, for
 * an idempotent call, one that was reset — goes at once to an instance this call has not tried;
 * it costs no budget and no backoff, because a dead instance should cost nothing. Retry: an
 * idempotent GET that failed slowly (timeout, 502/503/504) is tried again after full-jitter
 * backoff, inside the retry budget and only while the deadline leaves room for it.
 * POST/PUT/DELETE are never retried once sent: checkout and cancel rely on x-requestid, not on us.
 */
export class RetryPolicy implements Policy {
  constructor(
    private readonly options: RetryOptions,
    private readonly attemptTimeoutMs: number,
    private readonly budget: RetryBudget,
    private readonly balancer: Balancer,
    private readonly stats: TransportStats,
  ) {}

  execute(call: TransportCall, next: Next): Promise<Answer> {
    const idempotent = call.method === 'GET' || call.method === 'HEAD';
    const retries = idempotent && call.retry === 'full';
    if (retries) this.budget.deposit();
    // The first attempt costs one promise; the retry loop only runs after a failure.
    return next(call).catch((err: unknown) => this.recover(call, next, err, idempotent, retries));
  }

  private async recover(call: TransportCall, next: Next, err: unknown, idempotent: boolean, retries: boolean): Promise<Answer> {
    for (let attempt = 0; ;) {
      if (call.signal?.aborted) throw err;
      if (!this.failover(call, err, idempotent)) {
        if (!retries || attempt >= this.options.maxRetries || !isRetryable(err)) throw err;
        const delay = Math.random() * Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** attempt);
        const left = call.deadline - Date.now();
        if (left < delay + MIN_ATTEMPT_MS) throw err;
        // A retry cut short by the deadline is worth less than the stale copy now: answer with that.
        if (left < delay + this.attemptTimeoutMs && call.fallbackReady) throw err;
        if (!this.budget.tryWithdraw()) throw err;
        this.stats.retries++;
        attempt++;
        await sleep(delay);
      }
      try {
        return await next(call);
      } catch (failed) {
        err = failed;
      }
    }
  }

  private failover(call: TransportCall, err: unknown, idempotent: boolean): boolean {
    if (!(err instanceof DownstreamConnectionError)) return false;
    // A streamed request body may be partly consumed already: it cannot be sent twice.
    if (call.body instanceof Readable) return false;
    if (!err.neverSent && !(idempotent && err.connectFailure)) return false;
    return this.balancer.hasUntried(call);
  }
}

function isRetryable(err: unknown): boolean {
  return (
    err instanceof DownstreamConnectionError ||
    (err instanceof DownstreamTimeoutError && err.limit === 'attempt') ||
    // DownstreamUnavailableError is not here: every instance's breaker is open, so a retry would only wait to hear it again.
    (err instanceof DownstreamStatusError && RETRYABLE_STATUSES.has(err.status))
  );
}
