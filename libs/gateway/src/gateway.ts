import { pipeline, Readable, Transform } from 'node:stream';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { Pool, type Dispatcher } from 'undici';
import { AuthUnavailableError, InvalidTokenError, JwtVerifier } from '@app/auth';
import type { BffConfig } from '@app/config';
import { childTraceparent, RequestContextStore } from '@app/context';
import {
  DownstreamBadResponseError,
  DownstreamConnectionError,
  DownstreamStatusError,
  DownstreamTimeoutError,
  DOWNSTREAM_OBSERVER,
  discardBody,
  type DownstreamObserver,
} from '@app/downstream';
import { JWT_VERIFIER, limitRawRoutes, sendProblem, type ProblemDetails } from '@app/platform';
import { isValidTraceparent, newTraceparent, safeForwardedHost, safeTracestate, unsafeTargetReason } from './request-guard';
import { documentGatewayRoutes, type OpenApiLike } from './openapi';
import { shapeOf, validateRouteTable, type CompiledRoute, type RouteTable, type ServiceUrls } from './route-table';

export interface GatewayDeps {
  /** Base URLs per service (BffConfig.downstreams). The only hosts the gateway ever calls. */
  services: ServiceUrls;
  /** Verifies bearer tokens on auth-required routes (the BFF's JWT_VERIFIER). */
  verifier: Pick<JwtVerifier, 'verify'>;
  /** Limit on the downstream's headers, and on the pause between two body chunks (DOWNSTREAM_TIMEOUT_MS). */
  downstreamTimeoutMs: number;
  /** Deadline of the whole request, body streaming included (REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /** Largest answer body relayed unless a route sets maxResponseBytes (DOWNSTREAM_MAX_BODY_BYTES). */
  maxBodyBytes: number;
  /** Largest request body relayed (BODY_LIMIT_BYTES); larger gets 413. */
  maxRequestBodyBytes: number;
  /** Keep-alive connections per downstream origin (DOWNSTREAM_CONNECTIONS). */
  connections?: number;
  /** The BFF's request id (default: Fastify's `req.id`, which the platform derives from `x-request-id`). */
  requestId?: (req: FastifyRequest) => string;
  /**
   * Where unsafe request targets (traversal, encoded slashes, backslashes, absolute-form) get 400:
   * `all` (default) for every request the app receives, `gateway` only on table routes.
   */
  guardScope?: 'all' | 'gateway';
  /** Names the table in start-up errors. */
  name?: string;
  /** Reports each downstream attempt like the typed clients do (the platform's DOWNSTREAM_OBSERVER: metrics). */
  observer?: { attempt(service: string, outcome: string, seconds: number): void };
  /** Where the platform serves its OpenAPI JSON, completed with the table's routes (default `/docs-json`; false: leave it). */
  openApiJsonPath?: string | false;
}

/** GatewayDeps from a BFF's validated config and its verifier (`app.get(JWT_VERIFIER)`). */
export function gatewayDepsFromConfig(config: BffConfig, verifier: Pick<JwtVerifier, 'verify'>, overrides: Partial<GatewayDeps> = {}): GatewayDeps {
  return {
    services: config.downstreams,
    verifier,
    downstreamTimeoutMs: config.downstreamTimeoutMs,
    requestTimeoutMs: config.requestTimeoutMs,
    maxBodyBytes: config.downstreamMaxBodyBytes,
    maxRequestBodyBytes: config.bodyLimitBytes,
    connections: config.downstreamConnections,
    name: `${config.app} gateway routes`,
    ...overrides,
  };
}

/**
 * The one-line wiring for a BFF built by createBffApp (before it listens): the table on the app's
 * Fastify instance, with the app's config, JWT verifier and downstream metrics observer.
 */
export function registerBffGateway(
  app: NestFastifyApplication,
  config: BffConfig,
  table: RouteTable,
  overrides: Partial<GatewayDeps> = {},
): GatewayHandle {
  let observer: GatewayDeps['observer'];
  try {
    observer = app.get<DownstreamObserver | null>(DOWNSTREAM_OBSERVER) ?? undefined;
  } catch {
    observer = undefined; // no metrics in this app
  }
  const deps = gatewayDepsFromConfig(config, app.get<Pick<JwtVerifier, 'verify'>>(JWT_VERIFIER), { observer, ...overrides });
  const handle = registerGatewayRoutes(app.getHttpAdapter().getInstance(), table, deps);
  // Passthrough routes skip the Nest guard; they count in the same per-client budget.
  limitRawRoutes(app, new Set(handle.routes.map((r) => r.path)));
  return handle;
}

export interface GatewayHandle {
  readonly routes: readonly CompiledRoute[];
  /** Releases the downstream pools (also done when the Fastify instance closes). */
  close(): Promise<void>;
}

/** Request headers relayed to every downstream (authorization only on auth-required routes). */
const REQUEST_HEADERS = ['accept', 'accept-language', 'if-none-match'] as const;
/** Answer headers relayed to the client; cache-control is the gateway's own (see GatewayRoute.cacheTtlMs). */
const RESPONSE_HEADERS = ['content-type', 'content-length', 'etag', 'last-modified', 'content-encoding'] as const;
/** Order of the methods in `Allow`. OPTIONS stays with CORS. */
const ALLOW_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'] as const;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const MAX_RELAYED_HEADER = 4096;
const NO_STORE = 'private, no-store';

class BodyTooLargeError extends Error {}

const registered = new WeakMap<object, CompiledRoute[]>();

/** The gateway routes registered on this Fastify instance so far (empty when none). */
export function registeredGatewayRoutes(fastify: FastifyInstance): readonly CompiledRoute[] {
  return registered.get(fastify) ?? [];
}

interface Target {
  pool: Pool;
  /** Path prefix of the base URL (`/catalog` for `http://host/catalog`). */
  prefix: string;
}

/** One keep-alive pool per downstream origin, round-robin over a service's instances. */
class Upstreams {
  private readonly pools = new Map<string, Pool>();
  private readonly services = new Map<string, { targets: Target[]; next: number }>();

  constructor(services: ServiceUrls, used: Set<string>, deps: GatewayDeps) {
    for (const service of used) {
      const targets = (services[service] ?? []).map((base) => {
        const url = new URL(base);
        let pool = this.pools.get(url.origin);
        if (!pool) {
          pool = new Pool(url.origin, {
            connections: deps.connections ?? 64,
            keepAliveTimeout: 10_000,
            // Backstops: the AbortSignal enforces the headers limit, bodyTimeout the pause between chunks.
            headersTimeout: deps.downstreamTimeoutMs * 2,
            bodyTimeout: deps.downstreamTimeoutMs * 2,
          });
          this.pools.set(url.origin, pool);
        }
        return { pool, prefix: url.pathname.replace(/\/+$/, '') };
      });
      this.services.set(service, { targets, next: 0 });
    }
  }

  pick(service: string): Target {
    const entry = this.services.get(service);
    if (!entry || entry.targets.length === 0) throw new Error(`gateway: no upstream for ${service}`);
    return entry.targets[entry.next++ % entry.targets.length];
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.destroy().catch(() => undefined)));
  }
}

/**
 * Registers the table's routes on a BFF's Fastify instance as streaming passthroughs, before the app
 * listens. Validates the table first (throws RouteTableError naming the bad entry) and refuses, at
 * start, any table path that the app also serves. Adds one root `onRequest` hook: 400 for unsafe
 * request targets (see `guardScope`) and 405 with `Allow` for other methods on a table path. The
 * table's routes are added to the OpenAPI answer at `openApiJsonPath`.
 */
export function registerGatewayRoutes(fastify: FastifyInstance, table: RouteTable, deps: GatewayDeps): GatewayHandle {
  const name = deps.name ?? 'gateway routes';
  const routes = validateRouteTable(table, deps.services, { name });
  for (const [key, value] of Object.entries({
    downstreamTimeoutMs: deps.downstreamTimeoutMs,
    requestTimeoutMs: deps.requestTimeoutMs,
    maxBodyBytes: deps.maxBodyBytes,
    maxRequestBodyBytes: deps.maxRequestBodyBytes,
  })) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name}: ${key} must be a positive integer (got ${value})`);
  }
  const logger = new Logger('Gateway');
  const upstreams = new Upstreams(deps.services, new Set(routes.map((r) => r.service)), deps);

  // One Fastify path per distinct table path; its methods map to the entry that serves them.
  const byPath = new Map<string, { route: CompiledRoute; methods: Map<string, CompiledRoute>; allow: string }>();
  for (const route of routes) {
    const entry = byPath.get(route.path) ?? { route, methods: new Map<string, CompiledRoute>(), allow: '' };
    for (const m of route.methods) entry.methods.set(m, route);
    if (route.methods.includes('GET')) entry.methods.set('HEAD', route);
    entry.allow = ALLOW_ORDER.filter((m) => entry.methods.has(m)).join(', ');
    byPath.set(route.path, entry);
  }
  const shapes = new Map([...byPath.keys()].map((p) => [shapeOf(p), p]));

  // The table must not take over the app's own routes: those registered already…
  for (const path of byPath.keys()) {
    for (const method of [...ALLOW_ORDER, 'PATCH', 'OPTIONS'] as const) {
      if (fastify.hasRoute({ method, url: path })) throw new Error(`${name}: table path ${path} collides with the app's own route ${method} ${path}`);
    }
  }
  // …and those Nest registers later (at init): start fails with a message naming both.
  const own = new WeakSet<object>();
  fastify.addHook('onRoute', (opts: RouteOptions) => {
    if (own.has(opts.handler)) return;
    const taken = shapes.get(shapeOf(opts.url));
    if (taken !== undefined) {
      const method = Array.isArray(opts.method) ? opts.method.join('|') : opts.method;
      throw new Error(`${name}: table path ${taken} collides with the app's own route ${method} ${opts.url}`);
    }
  });

  const guardAll = (deps.guardScope ?? 'all') === 'all';
  fastify.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const matched = req.routeOptions.url;
    if (guardAll || (matched !== undefined && byPath.has(matched))) {
      const reason = unsafeTargetReason(req.raw.url ?? '');
      if (reason) return problem(reply, req, 400, reason);
    }
    // No route for this method: when the path is a table path, the method is what is wrong.
    if (matched === undefined) {
      const entry = tablePathOf(req.raw.url ?? '', byPath.values());
      if (entry) {
        reply.header('allow', entry.allow);
        return problem(reply, req, 405, `${req.method} is not allowed on ${entry.route.path}; allowed: ${entry.allow}`);
      }
    }
  });
  fastify.addHook('onClose', async () => upstreams.close());
  if (deps.openApiJsonPath !== false) documentOnRequest(fastify, deps.openApiJsonPath ?? '/docs-json', routes);

  void fastify.register(async (child) => {
    // Request bodies are streamed through, never parsed or buffered here.
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    child.setErrorHandler((err: { statusCode?: number; message?: string }, req, reply) => {
      const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
      if (status === 500) logger.error(`${req.method} ${req.url}: ${err instanceof Error ? err.stack : String(err)}`);
      problem(reply, req, status, status === 500 ? 'An unexpected error occurred' : (err.message ?? 'Bad Request'));
    });
    for (const [path, entry] of byPath) {
      for (const [method, route] of entry.methods) {
        const handler = (req: FastifyRequest, reply: FastifyReply) => proxy(route, req, reply, deps, upstreams, logger);
        own.add(handler);
        child.route({ method, url: path, exposeHeadRoute: false, handler });
      }
    }
  });

  registered.set(fastify, [...(registered.get(fastify) ?? []), ...routes]);
  return { routes, close: () => upstreams.close() };
}

/** The table path a raw request target falls on (segments decoded as the router does), if any. */
function tablePathOf<T extends { route: CompiledRoute }>(target: string, entries: Iterable<T>): T | undefined {
  const q = target.indexOf('?');
  const raw = (q === -1 ? target : target.slice(0, q)).split('/').slice(1);
  let segments: string[];
  try {
    segments = raw.map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    const want = entry.route.segments;
    if (want.length === segments.length && want.every((w, i) => (w.kind === 'static' ? w.value === segments[i] : segments[i] !== ''))) return entry;
  }
  return undefined;
}

/**
 * The platform mounts /docs-json from the Nest controllers before the gateway exists; its answer is
 * completed here (before compression, which runs in onSend) so the documented paths stay exactly the
 * served ones.
 */
function documentOnRequest(fastify: FastifyInstance, jsonPath: string, routes: readonly CompiledRoute[]): void {
  fastify.addHook('preHandler', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (req.routeOptions.url === jsonPath && req.method === 'GET') {
      const send = reply.send.bind(reply);
      reply.send = (payload?: unknown) => {
        if (typeof payload !== 'string') return send(payload);
        try {
          return send(JSON.stringify(documentGatewayRoutes(JSON.parse(payload) as OpenApiLike, routes)));
        } catch {
          return send(payload);
        }
      };
    }
    done();
  });
}

function problem(
  reply: FastifyReply,
  req: FastifyRequest,
  status: number,
  detail: string,
  headers: Record<string, string> = {},
  errors?: ProblemDetails['errors'],
): FastifyReply {
  sendProblem(reply, req, status, detail, errors, { 'cache-control': NO_STORE, ...headers });
  return reply;
}

async function proxy(
  route: CompiledRoute,
  req: FastifyRequest,
  reply: FastifyReply,
  deps: GatewayDeps,
  upstreams: Upstreams,
  logger: Logger,
): Promise<FastifyReply> {
  const ctx = RequestContextStore.current();
  // The platform's deadline when there is one, else REQUEST_TIMEOUT_MS from when the request arrived.
  const deadline = Math.min(ctx?.deadline ?? Number.POSITIVE_INFINITY, Date.now() - reply.elapsedTime + deps.requestTimeoutMs);
  const requestId = deps.requestId?.(req) ?? String(req.id);
  if (!reply.hasHeader('x-request-id')) reply.header('x-request-id', requestId);
  const service = route.service;
  const fail = (status: number, detail: string, headers?: Record<string, string>, errors?: ProblemDetails['errors']) =>
    problem(reply, req, status, detail, headers, errors);

  // 1. The caller: auth-required routes need a valid bearer token; other routes never look at it.
  let authorization: string | undefined;
  if (route.auth === 'required') {
    const header = req.headers.authorization;
    try {
      const token = JwtVerifier.bearerToken(header);
      if (!token) return fail(401, 'A bearer token is required', { 'www-authenticate': 'Bearer' });
      const principal = await deps.verifier.verify(token);
      if (ctx) {
        ctx.principal = { sub: principal.sub, name: principal.name, scopes: principal.scopes };
        ctx.authorization = header;
      }
      authorization = header;
    } catch (err) {
      if (err instanceof InvalidTokenError) return fail(401, err.message, { 'www-authenticate': 'Bearer error="invalid_token"' });
      if (err instanceof AuthUnavailableError) return fail(503, 'Tokens cannot be checked right now', { 'retry-after': '5' });
      throw err;
    }
  }

  // 2. The downstream path: every parameter must match its pattern, then is encoded.
  const params = (req.params ?? {}) as Record<string, string | undefined>;
  const errors = Object.entries(route.matchers)
    .filter(([name, re]) => typeof params[name] !== 'string' || !re.test(params[name] as string))
    .map(([name]) => ({ field: name, message: `${name} is not valid here` }));
  if (errors.length > 0) return fail(400, `Invalid path parameter: ${errors.map((e) => e.field).join(', ')}`, undefined, errors);
  const target = upstreams.pick(service);
  let path =
    target.prefix +
    '/' +
    route.downstreamSegments.map((s) => (s.kind === 'static' ? s.value : encodeURIComponent(params[s.name] as string))).join('/');
  if (route.query && route.query.length > 0) {
    const raw = req.raw.url ?? '';
    const incoming = new URLSearchParams(raw.includes('?') ? raw.slice(raw.indexOf('?') + 1) : '');
    const relayed = new URLSearchParams();
    for (const [k, v] of incoming) if (route.query.includes(k)) relayed.append(k, v);
    const qs = relayed.toString();
    if (qs) path += `?${qs}`;
  }

  // 3. Headers: an allowlist, plus our own request id, trace context and forwarding information.
  const headers: Record<string, string> = {};
  for (const name of REQUEST_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string' && value.length <= MAX_RELAYED_HEADER) headers[name] = value;
  }
  if (authorization) headers.authorization = authorization;
  headers['x-request-id'] = requestId;
  // Inside the platform: the request's trace (the caller's when its traceparent was valid), with a
  // child span like every other downstream call. Outside it: the caller's valid traceparent, else a new one.
  const incomingTrace = req.headers.traceparent;
  const validIncoming = typeof incomingTrace === 'string' && isValidTraceparent(incomingTrace);
  if (ctx?.trace) headers.traceparent = childTraceparent(ctx.trace);
  else headers.traceparent = validIncoming ? incomingTrace : newTraceparent();
  if (validIncoming) {
    const state = safeTracestate(typeof req.headers.tracestate === 'string' ? req.headers.tracestate : undefined);
    if (state) headers.tracestate = state;
  }
  // Fastify's view of the caller: the socket unless the app trusts a proxy. Incoming X-Forwarded-* are not relayed.
  if (req.ip) headers['x-forwarded-for'] = req.ip;
  headers['x-forwarded-proto'] = req.protocol;
  const host = safeForwardedHost(req.host);
  if (host) headers['x-forwarded-host'] = host;

  const headersBudget = Math.min(deps.downstreamTimeoutMs, deadline - Date.now());
  if (headersBudget <= 0) return fail(504, new DownstreamTimeoutError(service).message);

  // 4. The request body, streamed through a byte cap.
  let body: Readable | undefined;
  let bodyTooLarge = false;
  if (BODY_METHODS.has(req.method) && hasBody(req)) {
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > deps.maxRequestBodyBytes) return fail(413, 'The request body is larger than allowed');
    if (typeof req.headers['content-type'] === 'string') headers['content-type'] = req.headers['content-type'];
    if (declared !== undefined && /^[0-9]+$/.test(declared)) headers['content-length'] = declared;
    const source = req.body instanceof Readable ? req.body : req.raw;
    body = pipeline(
      source,
      byteCap(deps.maxRequestBodyBytes, () => {
        bodyTooLarge = true;
        return new BodyTooLargeError('request body too large');
      }),
      () => undefined,
    );
  }

  // 5. The call: headers within DOWNSTREAM_TIMEOUT_MS (and the deadline), body within the deadline.
  const controller = new AbortController();
  let timedOut = false;
  let timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, headersBudget);
  let clientGone = false;
  const onClientGone = () => {
    if (reply.raw.writableFinished) return;
    clientGone = true;
    controller.abort();
  };
  reply.raw.once('close', onClientGone);
  const started = performance.now();
  const record = (outcome: string) => {
    const ms = performance.now() - started;
    ctx?.timings.push({ service, ms, outcome });
    deps.observer?.attempt(service, outcome, ms / 1000);
  };
  const warn = (status: number, why: string) =>
    logger.warn(`${req.method} ${route.path} → ${status} (${service}: ${why}) [${requestId}]`);

  let res: Dispatcher.ResponseData;
  try {
    res = await target.pool.request({
      method: req.method as Dispatcher.HttpMethod,
      path,
      headers,
      body,
      signal: controller.signal,
      headersTimeout: deps.downstreamTimeoutMs * 2,
      bodyTimeout: deps.downstreamTimeoutMs,
    });
  } catch (err) {
    clearTimeout(timer);
    const code = (err as { code?: unknown }).code;
    if (clientGone) {
      record('client-gone');
      return fail(502, 'The client went away');
    }
    if (bodyTooLarge) {
      record('request-too-large');
      return fail(413, 'The request body is larger than allowed');
    }
    if (timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
      record('DownstreamTimeoutError');
      warn(504, 'timeout');
      return fail(504, new DownstreamTimeoutError(service).message);
    }
    record('DownstreamConnectionError');
    warn(502, typeof code === 'string' ? code : 'connection error');
    return fail(502, new DownstreamConnectionError(service).message);
  }
  clearTimeout(timer);
  const status = res.statusCode;
  record(String(status));

  // 6. The answer. Error bodies are never read nor relayed, redirects never followed nor relayed.
  if (status >= 500) {
    void res.body.dump().catch(() => undefined);
    warn(502, `answered ${status}`);
    return fail(502, new DownstreamStatusError(service, status).message);
  }
  if (status >= 400) {
    void res.body.dump().catch(() => undefined);
    const retryAfter = header(res.headers['retry-after']);
    const extra = status === 429 && retryAfter && /^[0-9]{1,6}$/.test(retryAfter) ? { 'retry-after': retryAfter } : undefined;
    return fail(status, `The ${service} service answered ${status}`, extra);
  }
  if (status >= 300 && status !== 304) {
    void res.body.dump().catch(() => undefined);
    warn(502, `answered ${status}`);
    return fail(502, new DownstreamBadResponseError(service, 'redirect').message);
  }
  const cap = route.maxResponseBytes ?? deps.maxBodyBytes;
  const declared = Number(header(res.headers['content-length']));
  if (declared > cap) {
    discardBody(res.body);
    warn(502, 'answer too large');
    return fail(502, new DownstreamBadResponseError(service, 'too large').message);
  }

  const publicCache = route.cacheTtlMs > 0 && route.auth === 'none' && (req.method === 'GET' || req.method === 'HEAD');
  reply.status(status);
  for (const name of RESPONSE_HEADERS) {
    const value = header(res.headers[name]);
    if (value !== undefined && value.length <= MAX_RELAYED_HEADER) reply.header(name, value);
  }
  reply.header('cache-control', publicCache ? `public, max-age=${Math.floor(route.cacheTtlMs / 1000)}` : NO_STORE);
  reply.header('x-content-type-options', 'nosniff');

  if (req.method === 'HEAD' || status === 204 || status === 205 || status === 304) {
    void res.body.dump().catch(() => undefined);
    if (status !== 200 || req.method !== 'HEAD') reply.removeHeader('content-length');
    return reply.send();
  }

  const left = deadline - Date.now();
  if (left <= 0) {
    discardBody(res.body);
    reply.removeHeader('content-length');
    return fail(504, new DownstreamTimeoutError(service).message);
  }
  // From here the status line is the downstream's; a failure mid-body (deadline, pause, cap, reset) cuts the connection.
  timer = setTimeout(() => controller.abort(), left);
  const out = pipeline(
    res.body,
    byteCap(cap, () => new DownstreamBadResponseError(service, 'too large')),
    (err) => {
      clearTimeout(timer);
      reply.raw.off('close', onClientGone);
      if (err && !reply.raw.destroyed) warn(status, `body cut off: ${err.name}`);
      else if (err) logger.debug(`${req.method} ${route.path}: client went away [${requestId}]`);
    },
  );
  return reply.send(out);
}

function hasBody(req: FastifyRequest): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Passes chunks through until more than `max` bytes went by, then fails the stream. */
function byteCap(max: number, tooLarge: () => Error): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > max) callback(tooLarge());
      else callback(null, chunk);
    },
  });
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
