import { randomFillSync } from 'node:crypto';

/** W3C Trace Context of one request: the trace it belongs to and the BFF's own span. */
export interface TraceContext {
  traceId: string;
  spanId: string;
  flags: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** The caller's trace context when its `traceparent` is a valid version-00 header, else undefined. */
export function parseTraceparent(header: string | string[] | undefined): TraceContext | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const m = value ? TRACEPARENT.exec(value.trim().toLowerCase()) : null;
  return m && m[1] !== ZERO_TRACE && m[2] !== ZERO_SPAN ? { traceId: m[1], spanId: m[2], flags: m[3] } : undefined;
}

/** Continues the caller's trace when its `traceparent` is valid (with a span of our own), else starts a new sampled one. */
export function traceFrom(header: string | string[] | undefined): TraceContext {
  const incoming = parseTraceparent(header);
  if (incoming) return { ...incoming, spanId: newSpanId() };
  return { traceId: randomHex(16), spanId: newSpanId(), flags: '01' };
}

/** The `traceparent` for one outgoing call: same trace, a new span whose parent is the BFF's. */
export function childTraceparent(trace: TraceContext): string {
  return `00-${trace.traceId}-${newSpanId()}-${trace.flags}`;
}

function newSpanId(): string {
  return randomHex(8);
}

// Ids are minted several times per request: one randomFillSync per 4 KiB instead of a syscall each.
const pool = Buffer.alloc(4096);
let offset = pool.length;

function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}
