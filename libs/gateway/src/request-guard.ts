import { randomBytes } from 'node:crypto';

/**
 * Encoded dots, slashes, backslashes and NUL, also double/triple encoded (`%252e`), and the overlong
 * UTF-8 forms old servers decoded to `.`, `/` and `\`. None has a use in this API's paths.
 */
const ENCODED_TRICK = /%(?:25)*(?:2e|2f|5c|00)|%c0%a[ef]|%c1%9c|%e0%80%ae/i;

/**
 * Why a raw request target may not be served, or undefined when it is a plain origin-form path.
 * Refused: absolute-form (`GET http://evil/…`), authority/asterisk forms and `//host/…`, fragments,
 * backslashes, dot segments (also `..;x`), and encoded dots/slashes/backslashes in the path. The
 * query is not inspected: its values are data, never path.
 */
export function unsafeTargetReason(target: string): string | undefined {
  if (!target.startsWith('/') || target.startsWith('//'))
    return 'The request target must be a path (absolute-form and authority-form are not accepted)';
  if (target.includes('#')) return 'The request target must not contain a fragment';
  const q = target.indexOf('?');
  const path = q === -1 ? target : target.slice(0, q);
  if (path.includes('\\')) return 'The request path must not contain backslashes';
  if (ENCODED_TRICK.test(path)) return 'The request path must not contain encoded dots, slashes or backslashes';
  for (const segment of path.split('/')) {
    const bare = segment.split(';', 1)[0];
    if (bare === '.' || bare === '..') return 'The request path must not contain "." or ".." segments';
  }
  return undefined;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** Is this a valid W3C trace context `traceparent` (version 00, non-zero ids)? */
export function isValidTraceparent(value: string | undefined): value is string {
  if (typeof value !== 'string') return false;
  const m = TRACEPARENT.exec(value);
  return m !== null && m[1] !== ZERO_TRACE && m[2] !== ZERO_SPAN;
}

/** Starts a new trace: random trace and parent ids, sampled. */
export function newTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

/** tracestate is relayed only with the traceparent it belongs to, and only when it is sane. */
export function safeTracestate(value: string | undefined): string | undefined {
  return typeof value === 'string' && value.length <= 512 && /^[\x20-\x7e]+$/.test(value) ? value : undefined;
}

const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

/** The host the caller addressed, for `x-forwarded-host`, when it is a syntactically plain host[:port]. */
export function safeForwardedHost(value: string | undefined): string | undefined {
  return typeof value === 'string' && value.length <= 255 && HOST.test(value) ? value : undefined;
}
