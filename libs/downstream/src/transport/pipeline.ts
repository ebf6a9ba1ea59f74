import type { ResponseCache } from '../response-cache';
import { AttemptStep, type AttemptOptions } from './attempt.policy';
import { BatchPolicy, type BatchOptions } from './batch.policy';
import { BreakerPolicy, type Balancer } from './breaker.policy';
import { BulkheadPolicy } from './bulkhead.policy';
import { CachePolicy } from './cache.policy';
import { CoalescePolicy } from './coalesce.policy';
import { HedgePolicy } from './hedge.policy';
import type { BreakerOptions } from './instances';
import { compose, type Next, type Policy } from './policy';
import { RetryPolicy, type RetryOptions } from './retry.policy';
import type { RetryBudget } from './retry-budget';
import { StaleIfErrorPolicy } from './stale-if-error.policy';
import type { Telemetry } from './telemetry';
import type { TransportStats } from './transport-stats';

export interface PipelineParts {
  attempt: AttemptOptions;
  breaker: BreakerOptions;
  retry: RetryOptions;
  budget: RetryBudget;
  balancer: Balancer;
  stats: TransportStats;
  telemetry: Telemetry;
  maxConcurrency: number;
  /** Shared reads: coalesced (always), cached, served stale and hedged when configured. */
  cache?: { store: ResponseCache; ttlMs: number };
  staleIfErrorMs?: number;
  /** undefined: hedge after the recent p95 (≥ 20 ms); 0: never. */
  hedgeAfterMs?: number;
  /** Shared lookups by id merged into one call (CATALOG_BATCH_*); off when unset or the delay is 0. */
  batch?: BatchOptions;
  shared: boolean;
  /** How many instances the downstream has. */
  instances: number;
}

/**
 * The order of the transport's policies, declared here and nowhere else:
 *
 *   coalesce → cache → stale-if-error → batch → bulkhead → retry → hedge → breaker → attempt
 *
 * Outermost first: identical shared reads merge before anything else; a cached answer costs no
 * bulkhead slot; the stale copy covers every failure below it (also shed and open circuit); lookups
 * by id are batched only after cache and stale-if-error have handled each id on its own path; the
 * bulkhead counts a call (a merged one too) once however many attempts it makes; each retry may
 * hedge; every attempt (hedges included) picks an instance and goes through that instance's breaker.
 */
export function buildPipeline(p: PipelineParts): { run: Next; hedge?: HedgePolicy; batching: boolean } {
  // Hedges only ever go to another instance: with one, there is nothing to hedge to.
  const hedge =
    p.shared && p.hedgeAfterMs !== 0 && p.instances > 1 ? new HedgePolicy(p.hedgeAfterMs, p.budget, p.balancer, p.stats) : undefined;
  const batch = p.shared && p.batch && p.batch.delayMs > 0 ? new BatchPolicy(p.batch, p.telemetry) : undefined;
  const policies: Array<Policy | undefined> = [
    p.shared ? new CoalescePolicy() : undefined,
    p.shared && p.cache ? new CachePolicy(p.cache.store, p.cache.ttlMs, p.telemetry) : undefined,
    p.shared && p.staleIfErrorMs ? new StaleIfErrorPolicy(p.staleIfErrorMs, p.stats) : undefined,
    batch,
    new BulkheadPolicy(p.maxConcurrency, p.stats, p.telemetry),
    new RetryPolicy(p.retry, p.attempt.attemptTimeoutMs, p.budget, p.balancer, p.stats),
    hedge,
    new BreakerPolicy(p.balancer, p.breaker, p.telemetry),
  ];
  const run = compose(
    policies.filter((x): x is Policy => x !== undefined),
    new AttemptStep(p.attempt, p.telemetry).run,
  );
  return { run, hedge, batching: batch !== undefined };
}
