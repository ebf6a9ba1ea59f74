import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { reusable, type RequestContext } from '@app/context';
import { rateLimitPlanOf, type RateLimitGuard, type RateLimitPlan } from './rate-limit/rate-limit.guard';

export interface AnswerCacheOptions {
  /** Reads the request's context (reuse marks, degraded parts, caller). */
  contextOf: (req: FastifyRequest) => RequestContext | undefined;
  /** Counts a replayed request as the guard counted the one that built the answer. */
  rateLimit: Pick<RateLimitGuard, 'countReplay'>;
  /** A replay counts one response-cache hit per cached read the answer was built from. */
  cacheHit: (service: string) => void;
  /** Counts a replay (answer_cache_replays_total). */
  replayed: (route: string) => void;
  /** Hands a refusal (429) to the problem+json rendering. */
  refuse: (err: unknown, req: FastifyRequest, reply: FastifyReply) => void;
  maxEntries?: number;
  /** Largest answer kept, in characters. */
  maxBytes?: number;
  /** All answers and keys together, in bytes at two per character (the cache's memory bound). */
  maxTotalBytes?: number;
}

interface Entry {
  payload: string;
  /** The conditional-get hook's tag of this payload, so a replay does not hash it again. */
  etag: string | undefined;
  until: number;
  plan: RateLimitPlan;
  services: string[];
  contentType: string;
}

const REPLAYED = Symbol('answer-replayed');
/** Longer URLs are not kept (routes without a query DTO accept any query string). */
const MAX_KEY = 512;
type Marked = FastifyRequest & { [REPLAYED]?: true };

function anonymousGet(req: FastifyRequest): boolean {
  return req.method === 'GET' && req.headers.authorization === undefined;
}

/**
 * Whole anonymous answers, replayed without running the controller, while every downstream read
 * they were built from would itself still come from the response cache (so an answer is never
 * older than CACHE_TTL_MS allows). Only complete 200 JSON answers of anonymous GETs whose reads
 * were all cached (the transport's reuse marks); never personal, degraded or refused answers.
 * A replay still passes the edge hooks (request id, security headers, CORS, ETag/304,
 * compression, logs, metrics) and is counted by the rate limiter like the original request.
 */
export class AnswerCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly maxBytes: number;

  constructor(private readonly options: AnswerCacheOptions) {
    this.entries = new LRUCache({
      max: options.maxEntries ?? 1000,
      maxSize: options.maxTotalBytes ?? 16 * 1024 * 1024,
      // Strings may be two bytes per character; the key counts too.
      sizeCalculation: (e, key) => 2 * (e.payload.length + key.length) + 256,
    });
    this.maxBytes = options.maxBytes ?? 256 * 1024;
  }

  /** Whether this request's reads should be watched (set as the context is made). */
  watches(req: FastifyRequest): boolean {
    return anonymousGet(req);
  }

  register(fastify: FastifyInstance): void {
    // After the preHandler that enters the request context: a replay is logged and counted inside it.
    fastify.addHook('preHandler', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
      if (!anonymousGet(req)) return done();
      const entry = this.entries.get(req.url);
      if (!entry) return done();
      if (entry.until <= Date.now()) {
        this.entries.delete(req.url);
        return done();
      }
      let pending: Promise<void> | undefined;
      try {
        pending = this.options.rateLimit.countReplay(entry.plan, req, reply);
      } catch (err) {
        return this.options.refuse(err, req, reply);
      }
      if (pending)
        pending.then(
          () => this.replay(req, reply, entry),
          (err: unknown) => this.options.refuse(err, req, reply),
        );
      else this.replay(req, reply, entry);
    });
  }

  /** onSend, after the conditional-get hook (its Cache-Control is final) and before compression. */
  remember(req: FastifyRequest, reply: FastifyReply, payload: unknown): void {
    if ((req as Marked)[REPLAYED] || !anonymousGet(req) || reply.statusCode !== 200) return;
    if (typeof payload !== 'string' || payload.length > this.maxBytes) return;
    const ctx = this.options.contextOf(req);
    const reuse = ctx?.reuse;
    if (!reusable(reuse) || ctx?.principal || (ctx?.degraded?.length ?? 0) > 0 || req.url.length > MAX_KEY) return;
    const plan = rateLimitPlanOf(req);
    const cacheControl = reply.getHeader('cache-control');
    const contentType = reply.getHeader('content-type');
    if (!plan || typeof cacheControl !== 'string' || cacheControl.includes('no-store') || typeof contentType !== 'string') return;
    const etag = reply.getHeader('etag');
    this.entries.set(req.url, {
      payload,
      etag: typeof etag === 'string' ? etag : undefined,
      until: reuse.until,
      plan,
      services: reuse.services,
      contentType,
    });
  }

  private replay(req: FastifyRequest, reply: FastifyReply, entry: Entry): void {
    (req as Marked)[REPLAYED] = true;
    const ctx = this.options.contextOf(req);
    if (ctx) ctx.replayed = true;
    for (const service of entry.services) this.options.cacheHit(service);
    this.options.replayed(req.routeOptions.url ?? 'unmatched');
    // Cache-Control, Vary and the ETag come from the same hooks as for the original answer.
    reply.header('content-type', entry.contentType);
    if (entry.etag) reply.header('etag', entry.etag);
    void reply.send(entry.payload);
  }
}
