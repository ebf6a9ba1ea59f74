import type { Readable } from 'node:stream';
import { noteRead, RequestContextStore } from '@app/context';
import type { Check } from '@app/contracts';
import type { DownstreamObserver } from './downstream-observer';
import type { ResponseCache } from './response-cache';
import { Balancer, createBreaker } from './transport/breaker.policy';
import type { BatchOptions } from './transport/batch.policy';
import type { HedgePolicy } from './transport/hedge.policy';
import { createInstance, DEFAULT_BREAKER, stateOf, type BreakerOptions, type BreakerState, type Instance } from './transport/instances';
import { buildPipeline } from './transport/pipeline';
import type { Answer, BatchMember, HttpMethod as PipelineMethod, Next, TransportCall } from './transport/policy';
import { DEFAULT_RETRY, type RetryOptions } from './transport/retry.policy';
import { DEFAULT_RETRY_BUDGET, RetryBudget } from './transport/retry-budget';
import { Telemetry } from './transport/telemetry';
import { newStats, type TransportStats } from './transport/transport-stats';

export { DEFAULT_BREAKER, DEFAULT_RETRY, type BreakerOptions, type BreakerState, type RetryOptions, type TransportStats };

/** Retry settings: the retry policy's and its budget's (RETRY_MAX, RETRY_BUDGET_PERCENT, RETRY_MIN_PER_SEC, RETRY_BUDGET_TTL_MS). */
export interface RetrySettings extends RetryOptions {
  /** Retries allowed per call made, e.g. 0.2 = at most 20 % extra load. */
  budgetRatio: number;
  /** Retries per second always allowed, whatever the traffic. */
  minPerSec: number;
  /** How long deposits and withdrawals count. */
  budgetTtlMs: number;
}

export const DEFAULT_RETRY_SETTINGS: RetrySettings = {
  ...DEFAULT_RETRY,
  budgetRatio: DEFAULT_RETRY_BUDGET.ratio,
  minPerSec: DEFAULT_RETRY_BUDGET.minPerSec,
  budgetTtlMs: DEFAULT_RETRY_BUDGET.ttlMs,
};

export interface TransportOptions {
  /** Logical name used in errors, logs and metrics (never the host). */
  service: string;
  /** One or more base URLs (instances); calls are spread round-robin. */
  baseUrls: string[];
  /** Limit on one attempt, headers and body together (DOWNSTREAM_TIMEOUT_MS). */
  attemptTimeoutMs: number;
  /** Answers larger than this are cut off and count as a bad answer. */
  maxBodyBytes: number;
  /** Keep-alive connections per instance. */
  connections: number;
  /** Bulkhead: calls in flight to this downstream at most; more fail at once (503). */
  maxConcurrency?: number;
  breaker?: Partial<BreakerOptions>;
  retry?: Partial<RetrySettings>;
  /** Metrics sink for attempts and cache lookups. */
  observer?: DownstreamObserver;
  /**
   * Its GETs read data shared by every user (catalog only: never per-user data): they are
   * coalesced, and cached / served stale / hedged as configured below.
   */
  shared?: boolean;
  /** Response cache for shared reads; off when unset. */
  cache?: { store: ResponseCache; ttlMs: number };
  /** Serve the last good answer of a shared read this old at most when the downstream fails; 0/undefined: off. */
  staleIfErrorMs?: number;
  /** Hedge shared reads after this long (HEDGE_AFTER_MS); undefined: the recent p95, at least 20 ms; 0: off. */
  hedgeAfterMs?: number;
  /** Merge concurrent shared lookups by id into one call (CATALOG_BATCH_DELAY_MS / _MAX_IDS); off when unset or the delay is 0. */
  batch?: BatchOptions;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface CallOptions<T> {
  method: HttpMethod;
  /** Path and query, already encoded, starting with `/`. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Relay the caller's Authorization header (basket and ordering need it; catalog does not). */
  relayAuth?: boolean;
  /** Shape of a 2xx JSON body; omit when the answer has no body worth reading. */
  expect?: Check<T>;
  /** Non-2xx statuses the caller handles itself (e.g. 404 → "not found"); others become errors. */
  allow?: readonly number[];
  /** A lookup by id that may go out merged with concurrent ones of the same kind (shared GETs, batching on). */
  batch?: BatchMember;
}

export interface CallResult<T> {
  status: number;
  /** The checked body for a 2xx answer with `expect`; undefined otherwise. */
  body: T | undefined;
  /** Served from the stale-if-error copy, not from the downstream. */
  stale?: boolean;
}

export interface StreamResult {
  status: number;
  contentType: string | undefined;
  contentLength: string | undefined;
  body: Readable;
}

/** A request relayed as is (gateway passthrough): the answer's status, headers and unread body. */
export interface PassthroughRequest {
  method: PipelineMethod;
  path: string;
  headers: Record<string, string>;
  /** The request body, streamed through. */
  body?: Readable;
  relayAuth: boolean;
  /** Statuses answered rather than raised (the gateway maps them itself); others → DownstreamStatusError. */
  allow: (status: number) => boolean;
  /** Aborts the call (the client went away, the body was too large). */
  signal: AbortSignal;
  /** Longest pause between two body chunks. */
  bodyPauseMs: number;
}

/** What a passthrough answers: the status, the headers and the unread body. */
export type PassthroughAnswer = Answer;

/**
 * The one HTTP transport under every typed client and the gateway: a pipeline of policies (see
 * transport/pipeline.ts for their order) over one set of instances per downstream — an undici
 * keep-alive pool and an opossum breaker each. This class only builds the pipeline and turns
 * the three kinds of call (JSON, picture stream, passthrough) into pipeline calls.
 */
export class HttpTransport {
  private readonly instances: Instance[];
  private readonly run: Next;
  private readonly hedge?: HedgePolicy;
  /** Lookups marked `batch` may be merged (the pipeline holds a batch policy). */
  readonly batching: boolean;
  readonly stats: TransportStats = newStats();

  constructor(readonly options: TransportOptions) {
    if (options.baseUrls.length === 0) throw new Error(`${options.service}: no base URL`);
    const breaker: BreakerOptions = { ...DEFAULT_BREAKER, ...options.breaker };
    const retry: RetrySettings = { ...DEFAULT_RETRY_SETTINGS, ...options.retry };
    this.instances = options.baseUrls.map((base, i) =>
      createInstance(base, `${options.service}#${i + 1}`, options, createBreaker(breaker)),
    );
    const pipeline = buildPipeline({
      attempt: { attemptTimeoutMs: options.attemptTimeoutMs, maxBodyBytes: options.maxBodyBytes },
      breaker,
      retry,
      budget: new RetryBudget({ ratio: retry.budgetRatio, minPerSec: retry.minPerSec, ttlMs: retry.budgetTtlMs }),
      balancer: new Balancer(this.instances, breaker.resetTimeoutMs),
      stats: this.stats,
      telemetry: new Telemetry(options.service, options.observer),
      maxConcurrency: options.maxConcurrency ?? Number.POSITIVE_INFINITY,
      cache: options.cache,
      staleIfErrorMs: options.staleIfErrorMs,
      hedgeAfterMs: options.hedgeAfterMs,
      batch: options.batch,
      shared: options.shared ?? false,
      instances: this.instances.length,
    });
    const run = pipeline.run;
    // Every call counts as a read for the answer cache; only the cache policy can vouch for it.
    this.run = (call) => {
      noteRead();
      return run(call);
    };
    this.hedge = pipeline.hedge;
    this.batching = pipeline.batching;
  }

  get service(): string {
    return this.options.service;
  }

  /** Breaker state per instance, named `service#n`. */
  breakerStates(): Array<{ instance: string; state: BreakerState }> {
    return this.instances.map((i) => ({ instance: i.label, state: stateOf(i.breaker) }));
  }

  /** True while at least one instance's breaker lets calls through. */
  get available(): boolean {
    return this.instances.some((i) => !i.breaker.opened);
  }

  /** The delay a hedge waits now (undefined: this transport does not hedge). */
  hedgeDelayMs(): number | undefined {
    return this.hedge?.delayMs();
  }

  /** Calls the downstream (retrying idempotent GETs) and returns the checked answer, or throws a DownstreamError. */
  call<T>(opts: CallOptions<T>): Promise<CallResult<T>> {
    const shared = !!this.options.shared && opts.method === 'GET' && opts.expect !== undefined;
    const call = newCall(opts.method, opts.path, 'json', shared, 'full');
    call.body = opts.body;
    call.headers = opts.headers;
    call.relayAuth = opts.relayAuth;
    call.expect = opts.expect as Check<unknown> | undefined;
    call.allow = opts.allow;
    if (shared) call.batch = opts.batch;
    return this.run(call) as Promise<CallResult<T>>;
  }

  /** Opens a streamed GET (pictures). The attempt limit covers the headers; the body is piped by the caller, within the deadline. */
  async stream(path: string, allow: readonly number[] = [404]): Promise<StreamResult> {
    const call = newCall('GET', path, 'stream', false, 'failover');
    call.allow = allow;
    const res = await this.run(call);
    return {
      status: res.status,
      contentType: header(res.headers?.['content-type']),
      contentLength: header(res.headers?.['content-length']),
      body: res.stream!,
    };
  }

  /** Relays one request (gateway passthrough) through the same bulkhead, breakers, failover and telemetry. */
  passthrough(req: PassthroughRequest): Promise<Answer> {
    const call = newCall(req.method, req.path, 'stream', false, 'failover');
    call.headers = req.headers;
    call.body = req.body;
    call.relayAuth = req.relayAuth;
    call.allow = req.allow;
    call.signal = req.signal;
    call.bodyPauseMs = req.bodyPauseMs;
    return this.run(call);
  }

  async close(): Promise<void> {
    await this.options.cache?.store.close();
    for (const i of this.instances) i.breaker.shutdown();
    await Promise.all(this.instances.map((i) => i.pool.close().catch(() => undefined)));
  }
}

/** Every call object has the same shape (one hidden class along the whole pipeline: no spreads on the hot path). */
function newCall(
  method: PipelineMethod,
  path: string,
  mode: TransportCall['mode'],
  shared: boolean,
  retry: TransportCall['retry'],
): TransportCall {
  return {
    method,
    path,
    body: undefined,
    headers: undefined,
    relayAuth: undefined,
    mode,
    expect: undefined,
    allow: undefined,
    shared,
    retry,
    deadline: RequestContextStore.current()?.deadline ?? Number.POSITIVE_INFINITY,
    signal: undefined,
    bodyPauseMs: undefined,
    tried: new Set(),
    instance: undefined,
    fallbackReady: undefined,
    batch: undefined,
  };
}

export { discardBody } from './transport/attempt.policy';

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
