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
  /** Downstream calls made for this request, for Server-Timing and logs. */
  timings: Array<{ service: string; ms: number; outcome: string }>;
  /** Optional parts that degraded while answering (for caching decisions and logs). */
  degraded?: string[];
  /** Set inside one aggregate part: the transport flags an answer served stale. */
  part?: { stale: boolean };
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
