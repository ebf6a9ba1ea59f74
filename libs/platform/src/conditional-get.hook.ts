import { hash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RequestContext } from '@app/context';

export interface ConditionalGetOptions {
  /** max-age for anonymous, complete answers; 0 → `no-cache`. */
  publicMaxAgeSec: number;
  /** Reads the request's context (to know whether the answer is personal). */
  contextOf: (req: FastifyRequest) => RequestContext | undefined;
}

/** Does the If-None-Match list contain this ETag (weak comparison, RFC 9110 §13.1.2)? */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === opaque);
}

/**
 * ETag on every successful GET, 304 without a body when If-None-Match matches, and Cache-Control:
 * `public, max-age` for anonymous complete answers; `private, no-cache` for personal ones; `no-store`
 * for degraded answers and errors, which must not be reused. Registered before compression, so the
 * tag is computed over the uncompressed representation.
 */
export function registerConditionalGets(fastify: FastifyInstance, options: ConditionalGetOptions): void {
  // A callback hook, not an async one: no promise per answer on the hot path.
  fastify.addHook('onSend', (req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, p: unknown) => void) => {
    done(null, conditional(req, reply, payload, options));
  });
}

function conditional(req: FastifyRequest, reply: FastifyReply, payload: unknown, options: ConditionalGetOptions): unknown {
  if (req.method !== 'GET' && req.method !== 'HEAD') return payload;
  if (reply.statusCode !== 200) {
    if (reply.statusCode >= 400 && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  }
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload; // streams (pictures) set their own
  if (!reply.hasHeader('cache-control')) {
    const ctx = options.contextOf(req);
    const personal = ctx?.principal !== undefined || req.headers.authorization !== undefined;
    const degraded = (ctx?.degraded?.length ?? 0) > 0;
    reply.header(
      'cache-control',
      degraded
        ? 'no-store'
        : personal
          ? 'private, no-cache'
          : options.publicMaxAgeSec > 0
            ? `public, max-age=${options.publicMaxAgeSec}`
            : 'no-cache',
    );
  }
  const vary = reply.getHeader('vary');
  reply.header('vary', vary === undefined ? 'Authorization' : appendVary(vary, 'Authorization'));
  // One-shot hash (no Hash object); sha1 as a content fingerprint, not for security. A tag already
  // set is the answer cache's, computed by this hook when the answer was first built.
  const known = reply.getHeader('etag');
  const etag = typeof known === 'string' ? known : `W/"${hash('sha1', payload, 'base64url')}"`;
  reply.header('etag', etag);
  const ifNoneMatch = req.headers['if-none-match'];
  if (etagMatches(ifNoneMatch, etag)) {
    reply.code(304);
    reply.removeHeader('content-length');
    reply.removeHeader('content-type');
    return '';
  }
  return payload;
}

function appendVary(current: unknown, value: string): string {
  const list = String(current ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!list.some((v) => v.toLowerCase() === value.toLowerCase())) list.push(value);
  return list.join(', ');
}
