/**
 * The declarative gateway route table of one BFF: which public paths are passed through, unchanged,
 * to which downstream path, for which methods, with or without a token, how long anonymous answers
 * may be cached, and which rate-limit class they count against. Validated once at start: a table
 * that is wrong stops the process with a message naming the entry.
 */

export const SERVICE_NAMES = ['catalog', 'basket', 'ordering'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Methods a table entry may allow: those the platform's edge lets through. HEAD comes with GET; OPTIONS stays with CORS. */
export const GATEWAY_METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;
export type GatewayMethod = (typeof GATEWAY_METHODS)[number];

/**
 * What a `:param` segment may hold. The value (decoded once by the router) must match before it is
 * encodeURIComponent-ed into the downstream path. A RegExp must be anchored (`^…$`), without g/y.
 */
export type ParamPattern = 'int' | 'uuid' | 'slug' | RegExp;

const NAMED_PATTERNS: Record<Exclude<ParamPattern, RegExp>, RegExp> = {
  int: /^[0-9]{1,10}$/,
  uuid: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
  slug: /^[A-Za-z0-9_-]{1,64}$/,
};

/** Values no parameter pattern may accept: they would let a caller step out of the downstream path. */
const UNSAFE_PARAM_PROBES = ['', '.', '..', '../x', 'x/..', 'a/b', 'a\\b', '%2e%2e', 'a%2fb', 'a%5cb', 'a?b', 'a#b', 'a\u0000b'];

export interface GatewayRoute {
  /** The BFF's public path: static segments and whole `:name` segments, e.g. `/api/catalog/items/:id`. */
  path: string;
  /** Allowed methods (HEAD is allowed with GET); every other method gets 405 with `Allow`. */
  methods: readonly GatewayMethod[];
  /** The downstream that answers; its base URLs come from the BFF's config, never from the request. */
  service: ServiceName;
  /** Path on the downstream; may use the `:name` parameters of `path`. */
  downstreamPath: string;
  /** `required`: 401 without a valid bearer token, and the token is relayed. `none`: it is never relayed. */
  auth: 'required' | 'none';
  /** > 0: anonymous GETs answer `Cache-Control: public, max-age=<s>` (whole seconds, ≥ 1000). 0: `private, no-store`. */
  cacheTtlMs: number;
  /** Rate-limit class the route counts against (carried for the edge milestone). */
  rateLimitClass: string;
  /** A pattern for every `:name` in `path`. */
  params?: Readonly<Record<string, ParamPattern>>;
  /** Query parameters relayed to the downstream (re-encoded); all others are dropped. Default: none. */
  query?: readonly string[];
  /** Largest answer body relayed; default: the gateway's `maxBodyBytes` (DOWNSTREAM_MAX_BODY_BYTES). */
  maxResponseBytes?: number;
}

export type RouteTable = readonly GatewayRoute[];

/** Base URLs per service, e.g. `BffConfig.downstreams`. */
export type ServiceUrls = Readonly<Partial<Record<string, readonly string[]>>>;

export type Segment = { kind: 'static'; value: string } | { kind: 'param'; name: string };

/** A validated entry, ready to serve. */
export interface CompiledRoute extends GatewayRoute {
  /** `#1 GET /api/catalog/brands`: how errors and logs name the entry. */
  label: string;
  segments: readonly Segment[];
  downstreamSegments: readonly Segment[];
  /** One check per parameter. */
  matchers: Readonly<Record<string, RegExp>>;
  /** The path with parameter names erased (`/api/items/:`): two routes with one shape are the same route. */
  shape: string;
}

/** The table is wrong; `problems` names each bad entry. Thrown at start. */
export class RouteTableError extends Error {
  constructor(
    readonly table: string,
    readonly problems: string[],
  ) {
    super(`${table} is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'RouteTableError';
  }
}

export interface ValidateOptions {
  /** Names the table in errors (e.g. `web-bff gateway routes`). */
  name?: string;
  /** Routes the app already serves (`'GET /api/home'` or a path alone for every method): a table path with the same shape is refused. */
  existingRoutes?: readonly string[];
}

/** Paths the platform serves on every BFF; the gateway never takes them over. */
const RESERVED_PREFIXES = ['/health', '/metrics', '/docs', '/docs-json'];

const STATIC_SEGMENT = /^[A-Za-z0-9_~-][A-Za-z0-9._~-]*$/;
const PARAM_SEGMENT = /^:([A-Za-z_][A-Za-z0-9_]*)$/;
const RATE_LIMIT_CLASS = /^[a-z][a-z0-9-]{0,63}$/;
const QUERY_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const KNOWN_KEYS = new Set([
  'path',
  'methods',
  'service',
  'downstreamPath',
  'auth',
  'cacheTtlMs',
  'rateLimitClass',
  'params',
  'query',
  'maxResponseBytes',
]);
const MAX_TTL_MS = 365 * 24 * 3600 * 1000;

/** Erases parameter names (and Fastify regex/wildcard syntax) so that route paths can be compared. */
export function shapeOf(path: string): string {
  return path
    .split('/')
    .map((s) => (s.startsWith(':') ? ':' : s.includes('*') ? '*' : s))
    .join('/');
}

/**
 * Checks every entry against the services the BFF knows and returns the compiled table; throws a
 * RouteTableError listing every problem, each prefixed with the entry (`#2 GET /api/x: …`).
 */
export function validateRouteTable(table: RouteTable, services: ServiceUrls, options: ValidateOptions = {}): CompiledRoute[] {
  const name = options.name ?? 'Gateway route table';
  const problems: string[] = [];
  if (!Array.isArray(table)) throw new RouteTableError(name, ['the table must be an array of routes']);

  const existing = (options.existingRoutes ?? []).map((r) => {
    const [method, path] = r.includes(' ') ? r.split(/\s+/, 2) : ['*', r];
    return { method: method.toUpperCase(), shape: shapeOf(path), text: r };
  });

  const compiled: CompiledRoute[] = [];
  table.forEach((route, i) => {
    const label = describe(route, i);
    const bad = (message: string) => problems.push(`${label}: ${message}`);
    if (typeof route !== 'object' || route === null) return bad('must be an object');

    for (const key of Object.keys(route)) if (!KNOWN_KEYS.has(key)) bad(`unknown property "${key}"`);

    const segments = parseTemplate(route.path, 'path', bad);
    const downstreamSegments = parseTemplate(route.downstreamPath, 'downstreamPath', bad);
    if (typeof route.path === 'string' && RESERVED_PREFIXES.some((p) => route.path === p || route.path.startsWith(`${p}/`))) {
      bad(`path ${route.path} is reserved for the platform (health, metrics, docs)`);
    }

    // Methods
    const methods = Array.isArray(route.methods) ? route.methods : [];
    if (!Array.isArray(route.methods) || methods.length === 0) bad('methods must be a non-empty array');
    for (const m of methods) {
      if (!(GATEWAY_METHODS as readonly string[]).includes(m))
        bad(`method ${JSON.stringify(m)} is not one of ${GATEWAY_METHODS.join(', ')}`);
    }
    if (new Set(methods).size !== methods.length) bad('methods lists a method twice');

    // Service
    if (!(SERVICE_NAMES as readonly string[]).includes(route.service)) {
      bad(`service ${JSON.stringify(route.service)} is not one of ${SERVICE_NAMES.join(', ')}`);
    } else {
      const urls = services[route.service];
      if (!urls || urls.length === 0) bad(`service ${route.service} has no base URL in this BFF's configuration`);
      else
        for (const url of urls) {
          const why = badBaseUrl(url);
          if (why) bad(`service ${route.service}: base URL #${urls.indexOf(url) + 1} ${why}`);
        }
    }

    // Auth, cache, rate limit
    if (route.auth !== 'required' && route.auth !== 'none') bad(`auth must be "required" or "none" (got ${JSON.stringify(route.auth)})`);
    if (!Number.isInteger(route.cacheTtlMs) || route.cacheTtlMs < 0 || route.cacheTtlMs > MAX_TTL_MS) {
      bad(`cacheTtlMs must be a whole number of ms between 0 and ${MAX_TTL_MS} (got ${JSON.stringify(route.cacheTtlMs)})`);
    } else if (route.cacheTtlMs > 0) {
      if (route.cacheTtlMs < 1000) bad(`cacheTtlMs must be 0 or at least 1000 (max-age is in whole seconds; got ${route.cacheTtlMs})`);
      if (route.auth === 'required') bad('cacheTtlMs must be 0 on an auth-required route (personal answers are never publicly cacheable)');
      if (!methods.includes('GET')) bad('cacheTtlMs only applies to GET; set it to 0');
    }
    if (typeof route.rateLimitClass !== 'string' || !RATE_LIMIT_CLASS.test(route.rateLimitClass)) {
      bad(`rateLimitClass must match ${RATE_LIMIT_CLASS} (got ${JSON.stringify(route.rateLimitClass)})`);
    }
    if (route.maxResponseBytes !== undefined && (!Number.isSafeInteger(route.maxResponseBytes) || route.maxResponseBytes <= 0)) {
      bad(`maxResponseBytes must be a positive integer (got ${JSON.stringify(route.maxResponseBytes)})`);
    }

    // Query
    if (route.query !== undefined) {
      if (!Array.isArray(route.query)) bad('query must be an array of parameter names');
      else {
        for (const q of route.query)
          if (typeof q !== 'string' || !QUERY_NAME.test(q)) bad(`query parameter name ${JSON.stringify(q)} is invalid`);
        if (new Set(route.query).size !== route.query.length) bad('query lists a name twice');
      }
    }

    // Parameters: every one in path has a safe pattern; downstream only uses declared ones.
    const matchers: Record<string, RegExp> = {};
    const pathParams = (segments ?? []).filter((s): s is Extract<Segment, { kind: 'param' }> => s.kind === 'param').map((s) => s.name);
    if (new Set(pathParams).size !== pathParams.length) bad('path uses a parameter name twice');
    const declared = route.params ?? {};
    if (typeof declared !== 'object' || declared === null) bad('params must be an object of patterns');
    for (const p of pathParams) {
      const pattern = (declared as Record<string, ParamPattern | undefined>)[p];
      if (pattern === undefined) {
        bad(`parameter :${p} has no pattern in params (e.g. params: { ${p}: 'int' })`);
        continue;
      }
      const re = toRegExp(pattern);
      if (!re) {
        bad(`parameter :${p}: pattern must be 'int', 'uuid', 'slug' or an anchored RegExp (^…$) without g/y flags`);
        continue;
      }
      const unsafe = UNSAFE_PARAM_PROBES.find((probe) => re.test(probe));
      if (unsafe !== undefined) bad(`parameter :${p}: pattern ${re} accepts the unsafe value ${JSON.stringify(unsafe)}`);
      else matchers[p] = re;
    }
    for (const p of Object.keys(declared)) if (!pathParams.includes(p)) bad(`params.${p} is not a parameter of path`);
    for (const s of downstreamSegments ?? []) {
      if (s.kind === 'param' && !pathParams.includes(s.name)) bad(`downstreamPath uses :${s.name}, which path does not declare`);
    }

    for (const e of existing) {
      if (segments && shapeOf(route.path) === e.shape) bad(`path collides with the app's own route ${e.text}`);
    }

    if (segments && downstreamSegments) {
      compiled.push({ ...route, label, segments, downstreamSegments, matchers, shape: shapeOf(route.path) });
    }
  });

  // Entries that share a shape must be the same path (same parameter names) with disjoint methods.
  const byShape = new Map<string, CompiledRoute[]>();
  for (const r of compiled) byShape.set(r.shape, [...(byShape.get(r.shape) ?? []), r]);
  for (const group of byShape.values()) {
    for (let a = 0; a < group.length; a++) {
      for (let b = a + 1; b < group.length; b++) {
        const [x, y] = [group[a], group[b]];
        if (x.path !== y.path) problems.push(`${y.label}: same route as ${x.label} with other parameter names`);
        const both = x.methods.filter((m) => y.methods.includes(m));
        if (both.length > 0) problems.push(`${y.label}: ${both.join(', ')} ${x.path} is already routed by ${x.label}`);
      }
    }
  }

  if (problems.length > 0) throw new RouteTableError(name, problems);
  return compiled;
}

/** The pattern as a RegExp, or undefined when it is not an acceptable one. */
function toRegExp(pattern: ParamPattern): RegExp | undefined {
  if (typeof pattern === 'string') return NAMED_PATTERNS[pattern];
  if (!(pattern instanceof RegExp)) return undefined;
  // g/y make test() stateful (lastIndex); unanchored patterns would accept `1/../../admin`.
  if (pattern.global || pattern.sticky) return undefined;
  if (!pattern.source.startsWith('^') || !pattern.source.endsWith('$') || pattern.source.endsWith('\\$')) return undefined;
  return pattern;
}

function parseTemplate(template: unknown, field: string, bad: (m: string) => void): Segment[] | undefined {
  if (typeof template !== 'string') {
    bad(`${field} must be a string`);
    return undefined;
  }
  if (!template.startsWith('/') || template === '/' || template.length > 512) {
    bad(`${field} must be an absolute path below "/" (got ${JSON.stringify(template)})`);
    return undefined;
  }
  if (template.endsWith('/')) {
    bad(`${field} must not end with "/" (got ${JSON.stringify(template)})`);
    return undefined;
  }
  const segments: Segment[] = [];
  for (const raw of template.slice(1).split('/')) {
    const param = PARAM_SEGMENT.exec(raw);
    if (param) segments.push({ kind: 'param', name: param[1] });
    else if (STATIC_SEGMENT.test(raw)) segments.push({ kind: 'static', value: raw });
    else {
      bad(
        `${field} segment ${JSON.stringify(raw)} is not allowed in ${JSON.stringify(template)} ` +
          '(letters, digits, "_~-." not leading, or a whole ":name" segment; no empty, "." or ".." segments, no wildcards or %)',
      );
      return undefined;
    }
  }
  return segments;
}

function badBaseUrl(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be http(s)';
  if (url.username || url.password) return 'must not carry credentials';
  if (url.search || url.hash) return 'must not have a query or fragment';
  return undefined;
}

function describe(route: Partial<GatewayRoute> | null | undefined, i: number): string {
  const methods = Array.isArray(route?.methods) ? route.methods.join('|') : '?';
  const path = typeof route?.path === 'string' ? route.path : '?';
  return `#${i + 1} ${methods} ${path}`;
}
