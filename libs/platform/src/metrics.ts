import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DownstreamObserver } from '@app/downstream';

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Up to CATALOG_BATCH_MAX_IDS' ceiling; 1 is a lookup that found nobody to share a call with. */
const BATCH_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500];

/**
 * One Prometheus registry per app (not prom-client's global one: several apps share a process in
 * tests). Request, downstream and batch-size histograms, breaker states, cache and rate-limit counters, and
 * the process metrics prom-client collects.
 */
export class BffMetrics implements DownstreamObserver {
  readonly registry = new Registry();
  readonly requests: Histogram<'route' | 'method' | 'status'>;
  readonly downstream: Histogram<'service' | 'outcome'>;
  readonly breakers: Gauge<'service' | 'instance'>;
  readonly cacheLookups: Counter<'service' | 'result'>;
  readonly batchSizes: Histogram<'service'>;
  readonly rateLimited: Counter<'class'>;
  readonly degraded: Counter<'part'>;
  readonly answerReplays: Counter<'route'>;

  constructor(app: string) {
    this.registry.setDefaultLabels({ app });
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    this.requests = new Histogram({
      name: 'http_server_request_duration_seconds',
      help: 'Duration of client requests by route template and status',
      labelNames: ['route', 'method', 'status'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.downstream = new Histogram({
      name: 'downstream_request_duration_seconds',
      help: 'Duration of downstream attempts by service and outcome (status code or error)',
      labelNames: ['service', 'outcome'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.breakers = new Gauge({
      name: 'downstream_circuit_state',
      help: 'Circuit breaker state per downstream instance: 0 closed, 1 half-open, 2 open',
      labelNames: ['service', 'instance'],
      registers,
    });
    this.cacheLookups = new Counter({
      name: 'response_cache_lookups_total',
      help: 'Shared-read cache lookups by result (hit or miss)',
      labelNames: ['service', 'result'],
      registers,
    });
    this.batchSizes = new Histogram({
      name: 'downstream_batch_size',
      help: 'Distinct ids per downstream call made by lookup batching (CATALOG_BATCH_*)',
      labelNames: ['service'],
      buckets: BATCH_BUCKETS,
      registers,
    });
    this.rateLimited = new Counter({
      name: 'rate_limited_requests_total',
      help: 'Requests refused with 429, by rate-limit class',
      labelNames: ['class'],
      registers,
    });
    this.degraded = new Counter({
      name: 'degraded_parts_total',
      help: 'Optional parts answered as degraded, by part name',
      labelNames: ['part'],
      registers,
    });
    this.answerReplays = new Counter({
      name: 'answer_cache_replays_total',
      help: 'Anonymous answers replayed whole from the answer cache (no controller, no downstream call), by route template',
      labelNames: ['route'],
      registers,
    });
  }

  attempt(service: string, outcome: string, seconds: number): void {
    this.downstream.observe({ service, outcome }, seconds);
  }

  cache(service: string, hit: boolean): void {
    this.cacheLookups.inc({ service, result: hit ? 'hit' : 'miss' });
  }

  batch(service: string, size: number): void {
    this.batchSizes.observe({ service }, size);
  }
}
