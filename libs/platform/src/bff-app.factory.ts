import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { constants as zlibConstants } from 'node:zlib';
import compress from '@fastify/compress';
import { Logger, type Type, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { ConfigError, loadBffConfig, type BffConfig, type BffName } from '@app/config';
import type { Logger as PinoLogger } from 'pino';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { newReuseMarks, parseTraceparent, RequestContextStore, traceFrom, type RequestContext } from '@app/context';
import { registerEdgeHooks } from './edge-hooks';
import { BffMetrics } from './metrics';
import { ROOT_LOGGER } from './root-logger';
import { registerConditionalGets } from './conditional-get.hook';
import { Lifecycle } from './lifecycle';
import { openApiDocument, registerOpenApi, startAdminServer } from './openapi';
import { OTEL_TRACING } from './bff-platform.module';
import type { OtelTracing } from './otel-tracing';
import { securityHeaders } from './security-headers';
import { registerJsonBodyParser } from './json-body.parser';
import { registerMethodNotAllowed } from './method-not-allowed';
import { clientErrorHandler, frameworkErrorHandler } from './pre-routing-errors';
import { createValidationPipe } from './validation';
import { AnswerCache } from './answer-cache';
import { httpHost, ProblemFilter } from './problem.filter';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const CONTEXT = Symbol('bff-context');

type WithContext = FastifyRequest & { [CONTEXT]?: RequestContext };

/** The caller's id when it is safe to echo (no header injection, bounded length), else a fresh one. */
export function requestIdFor(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SAFE_REQUEST_ID.test(value) ? value : randomUUID();
}

const served = new WeakMap<NestFastifyApplication, string[]>();

/** `METHOD /path` of every route the app serves (for the OpenAPI completeness test and diagnostics). */
export function servedRoutes(app: NestFastifyApplication): string[] {
  return [...(served.get(app) ?? [])];
}

/** What differs between the BFFs' HTTP layers (their clients' links and caches differ). */
export interface BffHttpOptions {
  /** ETag/304 and Cache-Control on GET answers. */
  conditionalGets?: boolean;
  /** gzip/br for answers over 1 KiB when the client accepts them. */
  compression?: boolean;
}

/**
 * Builds (does not start) a BFF on Fastify: measured at ≈1× a bare Node aggregator where Express
 * reached 0.5–0.6×. Tests call this and listen on port 0; main.ts calls `runBff`.
 */
export async function createBffApp(
  rootModule: Type | DynamicModule,
  config: BffConfig,
  http: BffHttpOptions = {},
): Promise<NestFastifyApplication> {
  // The OWASP REST set, the same on every answer (security-headers.ts).
  const security = securityHeaders();
  const timeouts = config.clientTimeouts;
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    requestIdHeader: false,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => requestIdFor(req.headers['x-request-id']),
    // Draining is handled below: requests that still arrive on open connections are served, not refused.
    return503OnClosing: false,
    // TRUSTED_PROXIES: X-Forwarded-For is believed only from these peers (proxy-addr: request.ip is the
    // rightmost address not in the list), so rate limits, the allowlist and logs see the real client.
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    // Slow and silent clients (slowloris, trickled bodies, connections that never send a byte) are cut
    // off: Fastify's default requestTimeout 0 also switches off Node's headers timeout. Only receiving
    // the request is timed; the answer's own deadline is REQUEST_TIMEOUT_MS.
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    http: {
      headersTimeout: timeouts.headersMs,
      // Node checks the two timeouts only this often (default 30 s, which would triple a 10 s limit).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(timeouts.headersMs / 4))),
    } as never,
    // Refusals before routing answer problem+json like everything else (CONTRACTS §3).
    clientErrorHandler: clientErrorHandler(security) as never,
    frameworkErrors: frameworkErrorHandler(security) as never,
  });
  // bodyParser: false keeps Nest from adding a urlencoded parser; Fastify's own JSON parser stays.
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(PinoNestLogger));
  const fastify = app.getHttpAdapter().getInstance();
  closeSilentConnections(fastify.server, timeouts.keepAliveMs, timeouts.headersMs);
  const routes: string[] = [];
  served.set(app, routes);
  fastify.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) if (m !== 'HEAD') routes.push(`${m} ${r.url}`);
  });
  // Bodies are JSON or nothing: without the text/plain parser anything else is a 415.
  fastify.removeContentTypeParser('text/plain');
  registerJsonBodyParser(fastify, config.jsonMaxDepth);

  const lifecycle = app.get(Lifecycle);
  const tracing = app.get<OtelTracing | null>(OTEL_TRACING);
  const answers = answerCacheFor(app, config, http);
  fastify.addHook('onRequest', (req: WithContext, reply, done) => {
    const ctx: RequestContext = { requestId: String(req.id), deadline: Date.now() + config.requestTimeoutMs, timings: [] };
    if (answers?.watches(req)) ctx.reuse = newReuseMarks();
    if (tracing) {
      const span = tracing.server(`${req.method} ${req.routeOptions.url ?? 'unmatched'}`, parseTraceparent(req.headers.traceparent));
      ctx.trace = span.trace;
      ctx.endSpan = span.end;
    } else {
      ctx.trace = traceFrom(req.headers.traceparent);
    }
    req[CONTEXT] = ctx;
    reply.headers(security);
    reply.header('x-request-id', req.id);
    done();
  });
  // While draining, every answer (also of requests that began before) closes its connection, so
  // keep-alive clients reconnect to another replica and the server can finish closing.
  fastify.addHook('onSend', (_req, reply, payload, done) => {
    if (lifecycle.draining) reply.header('connection', 'close');
    done(null, payload);
  });
  // Body parsing runs on stream callbacks that lose async context, so the context is entered here,
  // after parsing; the guard, pipes and handler all run inside it.
  fastify.addHook('preHandler', (req: WithContext, _reply, done) => {
    const ctx = req[CONTEXT];
    if (ctx) RequestContextStore.run(ctx, done);
    else done();
  });
  answers?.register(fastify);

  registerEdgeHooks(fastify, {
    ipAllowlist: config.ipAllowlist,
    metrics: app.get(BffMetrics),
    logger: app.get<PinoLogger>(ROOT_LOGGER),
    contextOf: (req) => (req as WithContext)[CONTEXT],
  });
  // After the hooks that set x-request-id and security headers; before any route is added (docs, Nest's at init).
  registerMethodNotAllowed(fastify, config.corsOrigins);

  if (http.conditionalGets) {
    registerConditionalGets(fastify, {
      publicMaxAgeSec: Math.floor(config.cacheTtlMs / 1000),
      contextOf: (req) => (req as WithContext)[CONTEXT],
    });
  }
  if (answers) {
    // After the ETag hook (its Cache-Control is final), before compression (the answer is kept as text).
    fastify.addHook('onSend', (req, reply, payload, done) => {
      answers.remember(req, reply, payload);
      done(null, payload);
    });
  }
  if (http.compression) {
    // After the ETag hook: the tag describes the uncompressed answer. Brotli at quality 4 is the
    // usual on-the-fly trade-off (11 costs ~50× the CPU for a few % smaller bodies).
    await app.register(compress as never, {
      global: true,
      threshold: 1024,
      encodings: ['br', 'gzip'],
      brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
    });
  }

  app.useGlobalPipes(createValidationPipe());
  registerOpenApi(app, config, { conditionalGets: http.conditionalGets });
  const origins = new Set(config.corsOrigins);
  app.enableCors({
    // Only a request from an allowed origin gets CORS headers; others (and requests without Origin) none.
    origin: (origin: string | undefined, cb: (err: Error | null, allow: string | false) => void) =>
      cb(null, origin !== undefined && origins.has(origin) ? origin : false),
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-none-match', 'x-request-id', 'traceparent', 'tracestate'],
    exposedHeaders: ['x-request-id', 'retry-after', 'etag', 'server-timing', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'],
    maxAge: 600,
  });
  return app;
}

/**
 * The answer cache is on with the in-process response cache (CACHE_TTL_MS > 0, no REDIS_URL: Redis
 * does not say when an entry expires) and ETags/Cache-Control (they decide what is public).
 */
function answerCacheFor(app: NestFastifyApplication, config: BffConfig, http: BffHttpOptions): AnswerCache | undefined {
  if (config.cacheTtlMs <= 0 || config.redisUrl || !http.conditionalGets) return undefined;
  const metrics = app.get(BffMetrics);
  const problems = new ProblemFilter();
  return new AnswerCache({
    contextOf: (req) => (req as WithContext)[CONTEXT],
    rateLimit: app.get(RateLimitGuard),
    cacheHit: (service) => metrics.cache(service, true),
    replayed: (route) => metrics.answerReplays.inc({ route }),
    refuse: (err, req, reply) => problems.catch(err, httpHost(req, reply)),
  });
}

/**
 * A connection that never sends a byte is idle from the start: with a keep-alive limit shorter than
 * the headers one it is closed after the keep-alive limit, like any idle connection (otherwise
 * Node's headers timeout answers it 408).
 */
function closeSilentConnections(server: Server, idleMs: number, headersMs: number): void {
  if (idleMs >= headersMs) return;
  server.on('connection', (socket: Socket) => {
    // bytesRead, not a 'data' listener: the HTTP parser reads the socket's handle directly.
    const timer = setTimeout(() => socket.bytesRead === 0 && socket.destroy(), idleMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  });
}

export interface GracefulShutdown {
  /** Starts draining: readiness 503 at once, then stop accepting, let in-flight requests finish. */
  shutdown(): Promise<void>;
}

/**
 * SIGTERM/SIGINT: readiness turns 503 at once; after `delayMs` (time for load balancers to notice)
 * the server stops accepting, in-flight requests finish, idle keep-alive connections close, pools and
 * breakers are released. Past `graceMs` the process stops anyway. Resolves when closed.
 */
export function gracefulShutdown(app: NestFastifyApplication, opts: { graceMs: number; delayMs?: number }): GracefulShutdown {
  let closing: Promise<void> | undefined;
  return {
    shutdown() {
      closing ??= (async () => {
        app.get(Lifecycle).draining = true;
        if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
        let timer: NodeJS.Timeout | undefined;
        const overdue = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            new Logger('Shutdown').warn(`grace period of ${opts.graceMs} ms over; closing the remaining connections`);
            app.getHttpServer().closeAllConnections();
            resolve();
          }, opts.graceMs);
        });
        await Promise.race([app.close(), overdue]);
        clearTimeout(timer);
      })();
      return closing;
    },
  };
}

/** main.ts of each BFF: validate config (exit 1 naming the variable), build, listen, log the URL. */
export async function runBff(name: BffName, build: (config: BffConfig) => Promise<NestFastifyApplication>): Promise<void> {
  let config: BffConfig;
  try {
    config = loadBffConfig(name);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${name}: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const app = await build(config);
  await app.listen(config.port, config.host);
  const logger = new Logger(name);
  logger.log(`listening on http://localhost:${config.port}`);
  if (config.admin.mode === 'port') {
    const admin = await startAdminServer(app, config, openApiDocument(app), config.admin.port);
    app.getHttpServer().once('close', () => admin.close());
    logger.log(`admin (metrics, docs) on http://localhost:${config.admin.port}`);
  }
  const { shutdown } = gracefulShutdown(app, { graceMs: config.shutdownGraceMs, delayMs: config.shutdownDelayMs });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log(`${signal}: draining`);
      void shutdown().then(() => process.exit(0));
    });
  }
}
