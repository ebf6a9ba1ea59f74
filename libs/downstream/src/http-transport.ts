import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import CircuitBreaker from 'opossum';
import { Pool, type Dispatcher } from 'undici';
import { childTraceparent, RequestContextStore, remainingMs, type TraceContext } from '@app/context';
import {
  DownstreamBadResponseError,
  DownstreamConnectionError,
  DownstreamError,
  DownstreamStatusError,
  DownstreamTimeoutError,
  DownstreamUnavailableError,
} from './downstream.errors';
import type { DownstreamObserver } from './downstream-observer';
import type { ResponseCache } from './response-cache';
import { RetryBudget } from './retry-budget';
import { ShapeError, type Check } from './shape';
import { StaleCache } from './stale-cache';

export interface BreakerOptions {
  /** Open when more than this % of calls in the window failed… */
  errorThresholdPercentage: number;
  /** …and the window saw at least this many calls. */
  volumeThreshold: number;
  /** Rolling window length. */
  windowMs: number;
  /** How long an open breaker waits before letting one probe through (half-open). */
  resetTimeoutMs: number;
}

export interface RetryOptions {
  /** Retries after the first attempt (idempotent GETs only). */
  maxRetries: number;
  /** Retries allowed per call made, e.g. 0.2 = at most 20 % extra load. */
  budgetRatio: number;
  /** Full-jitter exponential backoff: random(0, min(maxDelayMs, baseDelayMs × 2^n)). */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { errorThresholdPercentage: 50, volumeThreshold: 10, windowMs: 10_000, resetTimeoutMs: 5_000 };
export const DEFAULT_RETRY: RetryOptions = { maxRetries: 2, budgetRatio: 0.2, baseDelayMs: 25, maxDelayMs: 250 };

/** How long before the request deadline every attempt is cut off. */
const DEADLINE_MARGIN_MS = 15;
/** A retry is only worth it when this much of the deadline is left after the backoff. */
const MIN_ATTEMPT_MS = 20;
const RETRYABLE_STATUSES = new Set([502, 503, 504]);

export type BreakerState = 'closed' | 'open' | 'half-open';

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
  breaker?: BreakerOptions;
  retry?: RetryOptions;
  /** Serve the last good answer of a GET this old at most when the downstream fails; 0/undefined: off. */
  staleIfErrorMs?: number;
  /** Metrics sink for attempts and cache lookups. */
  observer?: DownstreamObserver;
  /** Response cache for GETs of shared data (catalog only: never per-user data); off when unset. */
  cache?: { store: ResponseCache; ttlMs: number };
  /** Coalesce concurrent identical GETs into one downstream call (shared data only). */
  coalesce?: boolean;
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

interface Instance {
  pool: Pool;
  /** Path prefix of the base URL, e.g. `/catalog` for `http://host/catalog`. */
  prefix: string;
  /** `catalog#1`: how health and metrics name an instance (never by host). */
  label: string;
  /** One breaker per instance: an instance that keeps failing is ejected until a probe succeeds. */
  breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  openedAt: number;
}

export interface TransportStats {
  inFlight: number;
  calls: number;
  retries: number;
  shed: number;
  staleServed: number;
}

/**
 * The one small HTTP transport under every typed client. Per downstream: an undici keep-alive pool
 * and an opossum breaker per instance (round-robin over the instances whose breaker is not open), a
 * bulkhead on calls in flight, retries of idempotent GETs with full-jitter backoff inside a retry
 * budget and the request deadline, stale-if-error for shared reads. Per attempt: a hard timeout on
 * headers and body together, a body cap, no redirects, and errors mapped to DownstreamError.
 */
export class HttpTransport {
  private readonly instances: Instance[];
  private readonly breakerOptions: BreakerOptions;
  private readonly retry: RetryOptions;
  private readonly budget: RetryBudget;
  private readonly maxConcurrency: number;
  private readonly stale?: StaleCache;
  private next = 0;
  private readonly inflight = new Map<string, Promise<CallResult<unknown>>>();
  readonly stats: TransportStats = { inFlight: 0, calls: 0, retries: 0, shed: 0, staleServed: 0 };

  constructor(readonly options: TransportOptions) {
    if (options.baseUrls.length === 0) throw new Error(`${options.service}: no base URL`);
    this.breakerOptions = options.breaker ?? DEFAULT_BREAKER;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.budget = new RetryBudget(this.retry.budgetRatio);
    this.maxConcurrency = options.maxConcurrency ?? Number.POSITIVE_INFINITY;
    if (options.staleIfErrorMs) this.stale = new StaleCache(options.staleIfErrorMs);
    this.instances = options.baseUrls.map((base, i) => {
      const url = new URL(base);
      const instance: Instance = {
        pool: new Pool(url.origin, {
          connections: options.connections,
          keepAliveTimeout: 10_000,
          // Backstops only: the AbortSignal below enforces the real attempt limit.
          headersTimeout: options.attemptTimeoutMs * 2,
          bodyTimeout: options.attemptTimeoutMs * 2,
        }),
        prefix: url.pathname.replace(/\/+$/, ''),
        label: `${options.service}#${i + 1}`,
        breaker: this.createBreaker(),
        openedAt: 0,
      };
      instance.breaker.on('open', () => (instance.openedAt = Date.now()));
      return instance;
    });
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

  /** Calls the downstream (retrying idempotent GETs) and returns the checked answer, or throws a DownstreamError. */
  call<T>(opts: CallOptions<T>): Promise<CallResult<T>> {
    if (opts.method === 'GET' && opts.expect && (this.options.cache || this.options.coalesce)) return this.sharedGet(opts);
    return this.guardedCall(opts);
  }

  /**
   * Shared reads: a fresh cached answer if there is one; else one downstream call however many
   * requests ask for the same path at once (coalescing), whose 200 answer is then cached.
   */
  private async sharedGet<T>(opts: CallOptions<T>): Promise<CallResult<T>> {
    const cache = this.options.cache;
    if (cache) {
      const hit = await cache.store.get(opts.path);
      this.options.observer?.cache(this.service, hit !== undefined);
      if (hit !== undefined) return { status: 200, body: hit as T };
    }
    if (!this.options.coalesce) return this.storeAfter(opts, this.guardedCall(opts));
    let shared = this.inflight.get(opts.path) as Promise<CallResult<T>> | undefined;
    if (!shared) {
      shared = this.storeAfter(opts, this.guardedCall(opts));
      this.inflight.set(opts.path, shared as Promise<CallResult<unknown>>);
      const forget = () => this.inflight.delete(opts.path);
      shared.then(forget, forget);
    }
    const res = await shared;
    // Every request that shared a stale answer must list the part as degraded, not just the leader.
    if (res.stale) markPartStale();
    return res;
  }

  private async storeAfter<T>(opts: CallOptions<T>, pending: Promise<CallResult<T>>): Promise<CallResult<T>> {
    const res = await pending;
    const cache = this.options.cache;
    if (cache && res.status === 200 && !res.stale) cache.store.set(opts.path, res.body, cache.ttlMs);
    return res;
  }

  private async guardedCall<T>(opts: CallOptions<T>): Promise<CallResult<T>> {
    if (this.stats.inFlight >= this.maxConcurrency) {
      this.stats.shed++;
      this.record({ t0: performance.now() }, 'shed');
      throw new DownstreamUnavailableError(this.service, 1);
    }
    this.stats.inFlight++;
    this.stats.calls++;
    try {
      const res = await this.withRetries(opts);
      if (this.stale && opts.method === 'GET' && opts.expect && res.status === 200) this.stale.remember(opts.path, res.body);
      return res;
    } catch (err) {
      const stale = this.staleFor(opts, err);
      if (stale) return stale as CallResult<T>;
      throw err;
    } finally {
      this.stats.inFlight--;
    }
  }

  /** Opens a streamed GET (pictures). The attempt limit covers the headers; the body is piped by the caller. */
  async stream(path: string, allow: readonly number[] = [404]): Promise<StreamResult> {
    const instance = this.pick();
    try {
      return (await instance.breaker.fire(() => this.openStream(path, allow, instance))) as StreamResult;
    } catch (err) {
      throw this.fromBreaker(err);
    }
  }

  async close(): Promise<void> {
    await this.options.cache?.store.close();
    for (const i of this.instances) i.breaker.shutdown();
    await Promise.all(this.instances.map((i) => i.pool.close().catch(() => undefined)));
  }

  private async withRetries<T>(opts: CallOptions<T>): Promise<CallResult<T>> {
    const idempotent = opts.method === 'GET';
    if (idempotent) this.budget.deposit();
    for (let attempt = 0; ; attempt++) {
      const instance = this.pick();
      try {
        return (await instance.breaker.fire(() => this.attempt(opts, instance))) as CallResult<T>;
      } catch (raw) {
        const err = this.fromBreaker(raw);
        // POST/PUT/DELETE are never retried: checkout and cancel rely on x-requestid, not on us.
        if (!idempotent || attempt >= this.retry.maxRetries || !isRetryable(err)) throw err;
        const delay = Math.random() * Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** attempt);
        if (remainingMs() < delay + MIN_ATTEMPT_MS) throw err;
        // A retry cut short by the deadline is worth less than the stale copy now: answer with that.
        if (remainingMs() < delay + this.options.attemptTimeoutMs && this.hasStale(opts)) throw err;
        if (!this.budget.tryWithdraw()) throw err;
        this.stats.retries++;
        await sleep(delay);
      }
    }
  }

  /** Round-robin over the instances whose breaker is not open; none left → 503 without a call. */
  private pick(): Instance {
    const n = this.instances.length;
    for (let k = 0; k < n; k++) {
      const instance = this.instances[this.next++ % n];
      if (!instance.breaker.opened) return instance;
    }
    this.record({ t0: performance.now() }, 'open');
    throw new DownstreamUnavailableError(this.service, this.retryAfterSec());
  }

  private retryAfterSec(): number {
    const reopen = Math.min(...this.instances.map((i) => i.openedAt + this.breakerOptions.resetTimeoutMs));
    return Math.max(1, Math.ceil((reopen - Date.now()) / 1000));
  }

  /** A breaker that opened between pick() and fire() rejects with EOPENBREAKER: same as no instance. */
  private fromBreaker(err: unknown): unknown {
    return (err as { code?: string })?.code === 'EOPENBREAKER' ? new DownstreamUnavailableError(this.service, this.retryAfterSec()) : err;
  }

  private createBreaker(): CircuitBreaker<[() => Promise<unknown>], unknown> {
    const o = this.breakerOptions;
    return new CircuitBreaker((thunk: () => Promise<unknown>) => thunk(), {
      timeout: false, // the attempt enforces its own limit, bounded by the request deadline
      errorThresholdPercentage: o.errorThresholdPercentage,
      volumeThreshold: o.volumeThreshold,
      rollingCountTimeout: o.windowMs,
      rollingCountBuckets: 10,
      resetTimeout: o.resetTimeoutMs,
      // A 4xx is the caller's problem, not the instance's: it must not open the breaker.
      errorFilter: (err: unknown) => err instanceof DownstreamStatusError && err.status < 500,
    });
  }

  private hasStale<T>(opts: CallOptions<T>): boolean {
    return !!this.stale && opts.method === 'GET' && !!opts.expect && this.stale.recall(opts.path) !== undefined;
  }

  /** Stale-if-error: the last good answer of a shared GET, flagged so the part is listed in `degraded`. */
  private staleFor<T>(opts: CallOptions<T>, err: unknown): CallResult<T> | undefined {
    if (!this.stale || opts.method !== 'GET' || !opts.expect) return undefined;
    if (!(err instanceof DownstreamError) || (err instanceof DownstreamStatusError && err.status < 500)) return undefined;
    const value = this.stale.recall(opts.path);
    if (value === undefined) return undefined;
    this.stats.staleServed++;
    markPartStale();
    return { status: 200, body: value as T, stale: true };
  }

  private async openStream(path: string, allow: readonly number[], instance: Instance): Promise<StreamResult> {
    const { signal, done } = this.limit();
    const started = this.begin('GET', path);
    try {
      const res = await this.dispatch({ method: 'GET', path }, signal, instance, started);
      done();
      // Headers came within the attempt limit; the body (piped at the client's pace) may use what is
      // left of the request deadline, but not a millisecond more: a trickling body is cut off.
      const left = remainingMs();
      if (Number.isFinite(left)) {
        const cutoff = setTimeout(() => res.body.destroy(new DownstreamTimeoutError(this.service)), Math.max(0, left));
        res.body.once('close', () => clearTimeout(cutoff));
      }
      this.record(started, String(res.statusCode));
      if (res.statusCode >= 300 && !allow.includes(res.statusCode)) {
        res.body.dump().catch(() => undefined);
        throw new DownstreamStatusError(this.service, res.statusCode);
      }
      return {
        status: res.statusCode,
        contentType: header(res.headers['content-type']),
        contentLength: header(res.headers['content-length']),
        body: res.body,
      };
    } catch (err) {
      done();
      throw this.mapError(err, signal, started);
    }
  }

  private async attempt<T>(opts: CallOptions<T>, instance: Instance): Promise<CallResult<T>> {
    const { signal, done } = this.limit();
    const started = this.begin(opts.method, opts.path);
    try {
      const res = await this.dispatch(opts, signal, instance, started);
      const status = res.statusCode;
      if (status < 200 || status >= 300) {
        // Never read (or leak) an error body; just free the socket.
        await res.body.dump().catch(() => undefined);
        this.record(started, String(status));
        if (opts.allow?.includes(status)) return { status, body: undefined };
        throw new DownstreamStatusError(this.service, status);
      }
      if (!opts.expect) {
        await res.body.dump().catch(() => undefined);
        this.record(started, String(status));
        return { status, body: undefined };
      }
      const text = await this.readCapped(res);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new DownstreamBadResponseError(this.service, 'not JSON');
      }
      if (!opts.expect(parsed)) throw new ShapeError('wrong shape');
      this.record(started, String(status));
      return { status, body: parsed };
    } catch (err) {
      throw this.mapError(err, signal, started);
    } finally {
      done();
    }
  }

  private dispatch(
    opts: Pick<CallOptions<unknown>, 'method' | 'path' | 'body' | 'headers' | 'relayAuth'>,
    signal: AbortSignal,
    instance: Instance,
    at: AttemptStart,
  ) {
    const ctx = RequestContextStore.current();
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (ctx) {
      headers['x-request-id'] = ctx.requestId;
      if (at.span) headers.traceparent = traceparentOf(at.span.trace);
      else if (ctx.trace) headers.traceparent = childTraceparent(ctx.trace);
    }
    if (opts.relayAuth && ctx?.authorization) headers.authorization = ctx.authorization;
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    return instance.pool.request({
      method: opts.method,
      path: instance.prefix + opts.path,
      headers,
      body,
      signal,
    } as Dispatcher.RequestOptions);
  }

  /** One timer per attempt: the smaller of the attempt limit and what is left of the request deadline. */
  private limit(): { signal: AbortSignal; done: () => void } {
    // Attempts end a little before the request deadline, so a failure can still be answered from the
    // stale copy (or mapped) before the aggregate's own deadline fires.
    const budget = Math.min(this.options.attemptTimeoutMs, remainingMs() - DEADLINE_MARGIN_MS);
    const controller = new AbortController();
    if (budget <= 0) {
      controller.abort();
      return { signal: controller.signal, done: () => undefined };
    }
    const timer = setTimeout(() => controller.abort(), budget);
    return { signal: controller.signal, done: () => clearTimeout(timer) };
  }

  private async readCapped(res: Dispatcher.ResponseData): Promise<string> {
    const max = this.options.maxBodyBytes;
    const declared = Number(res.headers['content-length']);
    if (declared > max) {
      discardBody(res.body);
      throw new DownstreamBadResponseError(this.service, 'body too large');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > max) {
        discardBody(res.body);
        throw new DownstreamBadResponseError(this.service, 'body too large');
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks, size).toString('utf8');
  }

  private mapError(err: unknown, signal: AbortSignal, started: AttemptStart): DownstreamError {
    let mapped: DownstreamError;
    if (err instanceof DownstreamError) mapped = err;
    else if (signal.aborted) mapped = new DownstreamTimeoutError(this.service);
    else if (err instanceof ShapeError) mapped = new DownstreamBadResponseError(this.service, err.message);
    else {
      const code = (err as { code?: string }).code;
      mapped =
        code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT'
          ? new DownstreamTimeoutError(this.service)
          : new DownstreamConnectionError(this.service, code);
    }
    if (!(err instanceof DownstreamStatusError)) this.record(started, mapped.name);
    return mapped;
  }

  /** Starts timing one attempt and, when tracing is on, its client span. */
  private begin(method: string, path: string): AttemptStart {
    const trace = RequestContextStore.current()?.trace;
    const span = trace ? this.options.observer?.span?.(this.service, `${method} ${this.service}`, trace, path) : undefined;
    return { t0: performance.now(), span };
  }

  private record(at: AttemptStart, outcome: string): void {
    const ms = performance.now() - at.t0;
    RequestContextStore.current()?.timings.push({ service: this.service, ms, outcome });
    this.options.observer?.attempt(this.service, outcome, ms / 1000);
    at.span?.end({ 'downstream.service': this.service, 'downstream.outcome': outcome }, !/^[1-4]\d\d$/.test(outcome));
  }
}

/** Drops an answer body and frees its socket; the abort error undici then emits is expected, not a fault. */
export function discardBody(body: Readable): void {
  body.on('error', () => undefined);
  body.destroy();
}

interface AttemptStart {
  t0: number;
  span?: ReturnType<NonNullable<DownstreamObserver['span']>>;
}

function traceparentOf(t: TraceContext): string {
  return `00-${t.traceId}-${t.spanId}-${t.flags}`;
}

function markPartStale(): void {
  const part = RequestContextStore.current()?.part;
  if (part) part.stale = true;
}

function isRetryable(err: unknown): boolean {
  return (
    err instanceof DownstreamConnectionError ||
    err instanceof DownstreamTimeoutError ||
    err instanceof DownstreamUnavailableError ||
    (err instanceof DownstreamStatusError && RETRYABLE_STATUSES.has(err.status))
  );
}

function stateOf(breaker: CircuitBreaker<[() => Promise<unknown>], unknown>): BreakerState {
  return breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed';
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
