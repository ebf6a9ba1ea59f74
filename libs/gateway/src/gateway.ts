import { pipeline, Readable, Transform } from 'node:stream';
import { BadGatewayException, BadRequestException, HttpException, Logger, PayloadTooLargeException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { JwtVerifier } from '@app/auth';
import type { BffConfig } from '@app/config';
import { RequestContextStore } from '@app/context';
import {
  DownstreamBadResponseError,
  DOWNSTREAM_TRANSPORTS,
  discardBody,
  type HttpTransport,
  type PassthroughAnswer,
  type PassthroughRequest,
  type Transports,
} from '@app/downstream';
import { authenticateCaller, httpHost, JWT_VERIFIER, limitRawRoutes, ProblemFilter, sendProblem } from '@app/platform';
import { isValidTraceparent, safeForwardedHost, safeTracestate, unsafeTargetReason } from './request-guard';
import { documentGatewayRoutes, type OpenApiLike } from './openapi';
import { shapeOf, validateRouteTable, type CompiledRoute, type RouteTable, type ServiceUrls } from './route-table';

export interface GatewayDeps {
  /** Base URLs per service (BffConfig.downstreams), for validating the table. */
  services: ServiceUrls;
  /**
   * The downstream transports (DOWNSTREAM_TRANSPORTS): passthrough calls share the typed clients'
   * instances, bulkheads, breakers and metrics, so an open catalog breaker also fails catalog routes fast.
   */
  transports: Partial<Record<string, HttpTransport>>;
  /** Verifies bearer tokens on auth-required routes (the BFF's JWT_VERIFIER), with the platform's check. */
  verifier: Pick<JwtVerifier, 'verify' | 'remembered'>;
  /** Limit on the downstream's headers, and on the pause between two body chunks (DOWNSTREAM_TIMEOUT_MS). */
  downstreamTimeoutMs: number;
  /** Deadline of the whole request, body streaming included, when the platform has not set one (REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /** Largest answer body relayed unless a route sets maxResponseBytes (DOWNSTREAM_MAX_BODY_BYTES). */
  maxBodyBytes: number;
  /** Largest request body relayed (BODY_LIMIT_BYTES); larger gets 413. */
  maxRequestBodyBytes: number;
  /** The BFF's request id (default: Fastify's `req.id`, which the platform derives from `x-request-id`). */
  requestId?: (req: FastifyRequest) => string;
  /**
   * Where unsafe request targets (traversal, encoded slashes, backslashes, absolute-form) get 400:
   * `all` (default) for every request the app receives, `gateway` only on table routes.
   */
  guardScope?: 'all' | 'gateway';
  /** Names the table in start-up errors. */
  name?: string;
  /** Where the platform serves its OpenAPI JSON, completed with the table's routes (default `/docs-json`; false: leave it). */
  openApiJsonPath?: string | false;
}

/** GatewayDeps from a BFF's validated config and its verifier (`app.get(JWT_VERIFIER)`). */
export function gatewayDepsFromConfig(
  config: BffConfig,
  verifier: Pick<JwtVerifier, 'verify' | 'remembered'>,
  transports: GatewayDeps['transports'],
  overrides: Partial<GatewayDeps> = {},
): GatewayDeps {
  return {
    services: config.downstreams,
    transports,
    verifier,
    downstreamTimeoutMs: config.downstreamTimeoutMs,
    requestTimeoutMs: config.requestTimeoutMs,
    maxBodyBytes: config.downstreamMaxBodyBytes,
    maxRequestBodyBytes: config.bodyLimitBytes,
    name: `${config.app} gateway routes`,
    ...overrides,
  };
}

/**
 * The one-line wiring for a BFF built by createBffApp (before it listens): the table on the app's
 * Fastify instance, with the app's config, JWT verifier and downstream transports.
 */
export function registerBffGateway(
  app: NestFastifyApplication,
  config: BffConfig,
  table: RouteTable,
  overrides: Partial<GatewayDeps> = {},
): GatewayHandle {
  const deps = gatewayDepsFromConfig(
    config,
    app.get<Pick<JwtVerifier, 'verify' | 'remembered'>>(JWT_VERIFIER),
    app.get<Transports>(DOWNSTREAM_TRANSPORTS),
    overrides,
  );
  const handle = registerGatewayRoutes(app.getHttpAdapter().getInstance(), table, deps);
  // Passthrough routes skip the Nest guard; they count in the same per-client budget.
  limitRawRoutes(app, new Set(handle.routes.map((r) => r.path)));
  return handle;
}

export interface GatewayHandle {
  readonly routes: readonly CompiledRoute[];
  /** Nothing to release: the pools belong to the app's transports. Kept for callers that close the handle. */
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
const BODY_TOO_LARGE = 'The request body is larger than allowed';

class BodyTooLargeError extends Error {}

const registered = new WeakMap<object, CompiledRoute[]>();

/** The gateway routes registered on this Fastify instance so far (empty when none). */
export function registeredGatewayRoutes(fastify: FastifyInstance): readonly CompiledRoute[] {
  return registered.get(fastify) ?? [];
}

/** What every passthrough of one table needs. */
interface Runtime {
  deps: GatewayDeps;
  transports: Record<string, HttpTransport>;
  logger: Logger;
  requestId(req: FastifyRequest): string;
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
  const transports: Record<string, HttpTransport> = {};
  for (const service of new Set(routes.map((r) => r.service))) {
    const transport = deps.transports[service];
    if (!transport) throw new Error(`${name}: no downstream transport for ${service}`);
    transports[service] = transport;
  }
  const rt: Runtime = {
    deps,
    transports,
    logger: new Logger('Gateway'),
    requestId: (req) => deps.requestId?.(req) ?? String(req.id),
  };

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
      if (fastify.hasRoute({ method, url: path }))
        throw new Error(`${name}: table path ${path} collides with the app's own route ${method} ${path}`);
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
  // A callback hook (it runs on every request of the app): a refusal sends and does not call done().
  fastify.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const matched = req.routeOptions.url;
    if (guardAll || (matched !== undefined && byPath.has(matched))) {
      const reason = unsafeTargetReason(req.raw.url ?? '');
      if (reason) return void problem(reply, req, 400, reason);
    }
    // No route for this method: when the path is a table path, the method is what is wrong.
    if (matched === undefined) {
      const entry = tablePathOf(req.raw.url ?? '', byPath.values());
      if (entry) {
        reply.header('allow', entry.allow);
        return void problem(reply, req, 405, `${req.method} is not allowed on ${entry.route.path}; allowed: ${entry.allow}`);
      }
    }
    done();
  });
  if (deps.openApiJsonPath !== false) documentOnRequest(fastify, deps.openApiJsonPath ?? '/docs-json', routes);

  void fastify.register(async (child) => {
    // Request bodies are streamed through, never parsed or buffered here.
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    // Failures are answered exactly as on the app's own routes (the platform's problem mapping), never cached.
    child.setErrorHandler((err, req, reply) => {
      reply.header('cache-control', NO_STORE);
      problems.catch(err, httpHost(req, reply));
    });
    for (const [path, entry] of byPath) {
      for (const [method, route] of entry.methods) {
        const handler = (req: FastifyRequest, reply: FastifyReply) => withContext(req, reply, rt, () => proxy(route, req, reply, rt));
        own.add(handler);
        child.route({ method, url: path, exposeHeadRoute: false, handler });
      }
    }
  });

  registered.set(fastify, [...(registered.get(fastify) ?? []), ...routes]);
  return { routes, close: async () => undefined };
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
    if (want.length === segments.length && want.every((w, i) => (w.kind === 'static' ? w.value === segments[i] : segments[i] !== '')))
      return entry;
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

const problems = new ProblemFilter();

function problem(reply: FastifyReply, req: FastifyRequest, status: number, detail: string): FastifyReply {
  sendProblem(reply, req, status, detail, undefined, { 'cache-control': NO_STORE });
  return reply;
}

/** Inside a BFF the platform's request context is there; a bare Fastify app gets one (deadline REQUEST_TIMEOUT_MS). */
function withContext<T>(req: FastifyRequest, reply: FastifyReply, rt: Runtime, fn: () => T): T {
  if (RequestContextStore.current()) return fn();
  const arrived = Date.now() - reply.elapsedTime;
  return RequestContextStore.run({ requestId: rt.requestId(req), deadline: arrived + rt.deps.requestTimeoutMs, timings: [] }, fn);
}

/**
 * One passthrough, in small steps: the caller, the downstream path, the headers, the body, the
 * call (through the downstream's transport: its bulkhead, breakers, failover and telemetry), the
 * answer. Every failure is thrown as a typed error and answered by the platform's problem mapping.
 */
async function proxy(route: CompiledRoute, req: FastifyRequest, reply: FastifyReply, rt: Runtime): Promise<FastifyReply> {
  if (!reply.hasHeader('x-request-id')) reply.header('x-request-id', rt.requestId(req));
  if (route.auth === 'required') await authenticateCaller(rt.deps.verifier, req.headers.authorization, 'required');
  const path = downstreamPath(route, req);
  const exchange = new Exchange(req, reply, rt.deps.maxRequestBodyBytes);
  let answer: PassthroughAnswer;
  try {
    answer = await rt.transports[route.service].passthrough({
      method: req.method as PassthroughRequest['method'],
      path,
      headers: relayedHeaders(req, exchange.bodyHeaders),
      body: exchange.body,
      relayAuth: route.auth === 'required',
      allow: (status) => status < 500,
      signal: exchange.signal,
      bodyPauseMs: rt.deps.downstreamTimeoutMs,
    });
  } catch (err) {
    throw exchange.explain(err);
  }
  return relayAnswer(route, req, reply, answer, exchange, rt);
}

/** The client's side of one passthrough: its request body (byte-capped) and whether it went away. */
class Exchange {
  private readonly controller = new AbortController();
  readonly body?: Readable;
  readonly bodyHeaders: Record<string, string> = {};
  private tooLarge = false;
  private gone = false;
  private answerBody?: Readable;

  constructor(
    req: FastifyRequest,
    private readonly reply: FastifyReply,
    maxBytes: number,
  ) {
    if (BODY_METHODS.has(req.method) && hasBody(req)) {
      const declared = req.headers['content-length'];
      if (declared !== undefined && Number(declared) > maxBytes) throw new PayloadTooLargeException(BODY_TOO_LARGE);
      if (typeof req.headers['content-type'] === 'string') this.bodyHeaders['content-type'] = req.headers['content-type'];
      if (declared !== undefined && /^[0-9]+$/.test(declared)) this.bodyHeaders['content-length'] = declared;
      const source = req.body instanceof Readable ? req.body : req.raw;
      this.body = pipeline(
        source,
        byteCap(maxBytes, () => {
          this.tooLarge = true;
          // Cancel first: the failed upload is the client's doing, not the instance's.
          this.controller.abort();
          return new BodyTooLargeError('request body too large');
        }),
        () => undefined,
      );
    }
    reply.raw.once('close', this.onClose);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The answer body being relayed: a client that goes away releases it (and the upstream) at once. */
  relaying(body: Readable): void {
    this.answerBody = body;
  }

  done(): void {
    this.reply.raw.off('close', this.onClose);
  }

  /** A failed call, told as the client should hear it. */
  explain(err: unknown): unknown {
    this.done();
    if (this.tooLarge) return new PayloadTooLargeException(BODY_TOO_LARGE);
    if (this.gone) return new BadGatewayException('The client went away');
    return err;
  }

  private readonly onClose = () => {
    if (this.reply.raw.writableFinished) return;
    this.gone = true;
    this.controller.abort();
    this.answerBody?.destroy();
  };
}

/** The downstream path: every parameter must match its pattern, then is encoded; only allowlisted query parameters go along. */
function downstreamPath(route: CompiledRoute, req: FastifyRequest): string {
  const params = (req.params ?? {}) as Record<string, string | undefined>;
  const errors = Object.entries(route.matchers)
    .filter(([name, re]) => typeof params[name] !== 'string' || !re.test(params[name] as string))
    .map(([name]) => ({ field: name, message: `${name} is not valid here` }));
  if (errors.length > 0) {
    throw new BadRequestException({ detail: `Invalid path parameter: ${errors.map((e) => e.field).join(', ')}`, errors });
  }
  let path =
    '/' + route.downstreamSegments.map((s) => (s.kind === 'static' ? s.value : encodeURIComponent(params[s.name] as string))).join('/');
  if (route.query && route.query.length > 0) {
    const raw = req.raw.url ?? '';
    const incoming = new URLSearchParams(raw.includes('?') ? raw.slice(raw.indexOf('?') + 1) : '');
    const relayed = new URLSearchParams();
    for (const [k, v] of incoming) if (route.query.includes(k)) relayed.append(k, v);
    const qs = relayed.toString();
    if (qs) path += `?${qs}`;
  }
  return path;
}

/**
 * An allowlist of the caller's headers plus forwarding information. The transport adds the
 * request id, the trace context and (auth-required routes only) the caller's token.
 */
function relayedHeaders(req: FastifyRequest, bodyHeaders: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = { ...bodyHeaders };
  for (const name of REQUEST_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string' && value.length <= MAX_RELAYED_HEADER) headers[name] = value;
  }
  // tracestate belongs to the caller's traceparent: relayed only when that one was valid.
  const incomingTrace = req.headers.traceparent;
  if (typeof incomingTrace === 'string' && isValidTraceparent(incomingTrace)) {
    const state = safeTracestate(typeof req.headers.tracestate === 'string' ? req.headers.tracestate : undefined);
    if (state) headers.tracestate = state;
  }
  // Fastify's view of the caller: the socket unless the app trusts a proxy. Incoming X-Forwarded-* are not relayed.
  if (req.ip) headers['x-forwarded-for'] = req.ip;
  headers['x-forwarded-proto'] = req.protocol;
  const host = safeForwardedHost(req.host);
  if (host) headers['x-forwarded-host'] = host;
  return headers;
}

/** The downstream's answer, relayed. Error bodies are never read nor relayed, redirects never followed nor relayed. */
function relayAnswer(
  route: CompiledRoute,
  req: FastifyRequest,
  reply: FastifyReply,
  answer: PassthroughAnswer,
  exchange: Exchange,
  rt: Runtime,
): FastifyReply {
  const { status } = answer;
  const body = answer.stream!;
  const headers = answer.headers ?? {};
  const service = route.service;
  const refuse = (err: Error) => {
    exchange.done();
    discardBody(body);
    reply.removeHeader('content-length');
    throw err;
  };
  if (status >= 400) {
    const retryAfter = header(headers['retry-after']);
    if (status === 429 && retryAfter && /^[0-9]{1,6}$/.test(retryAfter)) reply.header('retry-after', retryAfter);
    refuse(new HttpException({ detail: `The ${service} service answered ${status}` }, status));
  }
  if (status >= 300 && status !== 304) refuse(new DownstreamBadResponseError(service, 'redirect'));
  const cap = route.maxResponseBytes ?? rt.deps.maxBodyBytes;
  if (Number(header(headers['content-length'])) > cap) refuse(new DownstreamBadResponseError(service, 'too large'));

  const publicCache = route.cacheTtlMs > 0 && route.auth === 'none' && (req.method === 'GET' || req.method === 'HEAD');
  reply.status(status);
  for (const name of RESPONSE_HEADERS) {
    const value = header(headers[name]);
    if (value !== undefined && value.length <= MAX_RELAYED_HEADER) reply.header(name, value);
  }
  reply.header('cache-control', publicCache ? `public, max-age=${Math.floor(route.cacheTtlMs / 1000)}` : NO_STORE);
  reply.header('x-content-type-options', 'nosniff');

  if (req.method === 'HEAD' || status === 204 || status === 205 || status === 304) {
    exchange.done();
    drain(body);
    if (status !== 200 || req.method !== 'HEAD') reply.removeHeader('content-length');
    return reply.send();
  }
  // From here the status line is the downstream's; a failure mid-body (deadline, pause, cap, reset) cuts the connection.
  exchange.relaying(body);
  const requestId = rt.requestId(req);
  const out = pipeline(
    body,
    byteCap(cap, () => new DownstreamBadResponseError(service, 'too large')),
    (err) => {
      exchange.done();
      if (err && !reply.raw.destroyed)
        rt.logger.warn(`${req.method} ${route.path} → ${status} (${service}: body cut off: ${err.name}) [${requestId}]`);
      else if (err) rt.logger.debug(`${req.method} ${route.path}: client went away [${requestId}]`);
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

/** Reads an empty answer to its end so its connection stays reusable. */
function drain(body: Readable): void {
  const dump = (body as Readable & { dump?: () => Promise<void> }).dump;
  if (dump) void dump.call(body).catch(() => undefined);
  else discardBody(body);
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
