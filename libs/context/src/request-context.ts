import { AsyncLocalStorage } from 'node:async_hooks';
import type { TraceContext } from './trace-context';

/** Per-request state that every layer needs but no signature should carry. */
export interface RequestContext {
  requestId: string;
  /** W3C trace this request belongs to; downstream calls carry a child `traceparent`. */
  trace?: TraceContext;
  /** Ends the request's exported span (OpenTelemetry on). */
  endSpan?: (attributes: Record<string, string | number>, failed: boolean) => void;
  /** Epoch ms after which nothing more may be spent on this request (REQUEST_TIMEOUT_MS). */
  deadline: number;
  /** The caller's `Authorization` header, relayed unchanged to downstreams that need it. */
  authorization?: string;
  /** The verified caller; set by the auth guard. */
  principal?: { sub: string; name?: string; scopes: string[] };
  /** Downstream attempts made for this request (written by the transport), for Server-Timing and logs. */
  timings: DownstreamTiming[];
  /** Optional parts that degraded while answering (for caching decisions and logs). */
  degraded?: string[];
  /** Set inside one aggregate part: the transport flags an answer served stale. */
  part?: PartMarks;
  /** Present when whole answers may be reused (the answer cache is on): what the transport saw. */
  reuse?: ReuseMarks;
  /** Set by the answer cache when this request was answered by a replay (logged). */
  replayed?: true;
}

/**
 * What the transport writes for the answer cache: an anonymous answer may be replayed only while
 * every downstream read it was built from would itself still be served from the response cache.
 * One object per request, shared by the copies the aggregate makes for its parts.
 */
export interface ReuseMarks {
  /** Earliest expiry (epoch ms) of the cached reads used; Infinity before the first one. */
  until: number;
  /** Downstream reads started for this request (every transport call counts). */
  reads: number;
  /** Of those, reads the response cache vouched for (served or stored, expiry known): reuse needs all of them. */
  cachedReads: number;
  /** The services whose cached reads the answer used (a replay counts one cache hit for each). */
  services: string[];
}

/** Fresh marks for a request whose answer may be reused. */
export function newReuseMarks(): ReuseMarks {
  return { until: Number.POSITIVE_INFINITY, reads: 0, cachedReads: 0, services: [] };
}

/** May the answer built under these marks be replayed now? Only if every read was a cached one. */
export function reusable(reuse: ReuseMarks | undefined, now = Date.now()): reuse is ReuseMarks {
  return reuse !== undefined && reuse.reads > 0 && reuse.cachedReads === reuse.reads && reuse.until > now;
}

/** Notes that a downstream read starts (the transport's entry; a read that throws stays uncounted as cached). */
export function noteRead(): void {
  const reuse = storage.getStore()?.reuse;
  if (reuse) reuse.reads++;
}

/**
 * Notes a read served from, or put into, the response cache until `expiresAt` (no-op without marks).
 * An unknown expiry vouches for nothing; a read never vouched for (uncached, a coalesced follower,
 * a failure) keeps the answer from being reused.
 */
export function noteCachedRead(service: string, expiresAt: number | undefined): void {
  const reuse = storage.getStore()?.reuse;
  if (!reuse || expiresAt === undefined) return;
  if (expiresAt < reuse.until) reuse.until = expiresAt;
  reuse.cachedReads++;
  reuse.services.push(service);
}

/**
 * What the downstream transport writes into the request context, and nothing else: one timing per
 * attempt (also hedges, sheds and open-circuit rejections) and, inside an aggregate part, whether
 * the part's answer came from the stale-if-error copy.
 */
export interface DownstreamTiming {
  /** Logical downstream name (`catalog`), never a host. */
  service: string;
  /** Wall time of the attempt. */
  ms: number;
  /** The status code, or the error name (`DownstreamTimeoutError`), `shed`, `open` or `cancelled`. */
  outcome: string;
}

export interface PartMarks {
  /** The part was answered from the stale-if-error copy: it must be listed in `degraded`. */
  stale: boolean;
}

/** Flags the current aggregate part as answered stale (no-op outside a part). */
export function markPartStale(): void {
  const part = storage.getStore()?.part;
  if (part) part.stale = true;
}

// AsyncLocalStorage instead of request-scoped providers: those rebuild the provider graph per request.
const storage = new AsyncLocalStorage<RequestContext>();

export const RequestContextStore = {
  run<T>(context: RequestContext, fn: () => T): T {
    return storage.run(context, fn);
  },
  current(): RequestContext | undefined {
    return storage.getStore();
  },
  /** The context, or an error: code that needs it must only run inside a request. */
  require(): RequestContext {
    const ctx = storage.getStore();
    if (!ctx) throw new Error('No request context: called outside a request');
    return ctx;
  },
};

/** Milliseconds left before the request deadline (never negative); Infinity outside a request. */
export function remainingMs(now = Date.now()): number {
  const ctx = storage.getStore();
  return ctx ? Math.max(0, ctx.deadline - now) : Number.POSITIVE_INFINITY;
}
