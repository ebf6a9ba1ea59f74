import { randomBytes } from 'node:crypto';

/** W3C Trace Context of one request: the trace it belongs to and the BFF's own span. */
export interface TraceContext {
  traceId: string;
  spanId: string;
  flags: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** Continues the caller's trace when its `traceparent` is valid, else starts a new sampled one. */
export function traceFrom(header: string | string[] | undefined): TraceContext {
  const value = Array.isArray(header) ? header[0] : header;
  const m = value ? TRACEPARENT.exec(value.trim().toLowerCase()) : null;
  if (m && m[1] !== ZERO_TRACE && m[2] !== ZERO_SPAN) return { traceId: m[1], spanId: newSpanId(), flags: m[3] };
  return { traceId: randomBytes(16).toString('hex'), spanId: newSpanId(), flags: '01' };
}

/** The `traceparent` for one outgoing call: same trace, a new span whose parent is the BFF's. */
export function childTraceparent(trace: TraceContext): string {
  return `00-${trace.traceId}-${newSpanId()}-${trace.flags}`;
}

function newSpanId(): string {
  return randomBytes(8).toString('hex');
}
