import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { sendProblem } from './problem.filter';

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

interface Pattern {
  /** Per segment: a literal, or null for a parameter. */
  segments: Array<string | null>;
  /** Ends in `*`: matches any rest. */
  prefix: boolean;
  methods: Set<string>;
}

/**
 * The methods each path serves, from Fastify's route table (every route, Nest's and those registered
 * on Fastify directly): a path that exists with other methods answers 405 with `Allow` instead of
 * 404. Only requests no route matched pay for the lookup.
 */
export class RouteMethods {
  private readonly patterns = new Map<string, Pattern>();

  add(url: string, methods: string | string[]): void {
    const own = [methods].flat().filter((m) => m !== 'OPTIONS');
    // CORS' catch-all preflight route says nothing about which paths exist.
    if (own.length === 0 || url === '*' || url === '/*') return;
    let p = this.patterns.get(url);
    if (!p) {
      const parts = url.split('/').slice(1);
      const prefix = parts[parts.length - 1] === '*';
      if (prefix) parts.pop();
      p = { segments: parts.map((s) => (s.startsWith(':') ? null : s)), prefix, methods: new Set() };
      this.patterns.set(url, p);
    }
    for (const m of own) p.methods.add(m);
    if (p.methods.has('GET')) p.methods.add('HEAD');
  }

  /** `GET, HEAD, POST` for a path some route serves; undefined for an unknown path. */
  allowFor(path: string): string | undefined {
    const parts = path.split('/').slice(1);
    const allowed = new Set<string>();
    for (const p of this.patterns.values()) if (matches(p, parts)) for (const m of p.methods) allowed.add(m);
    if (allowed.size === 0) return undefined;
    return [...allowed].sort((a, b) => rank(a) - rank(b)).join(', ');
  }
}

function rank(method: string): number {
  const i = ORDER.indexOf(method);
  return i < 0 ? ORDER.length : i;
}

function matches(p: Pattern, parts: string[]): boolean {
  if (p.prefix ? parts.length < p.segments.length : parts.length !== p.segments.length) return false;
  for (let i = 0; i < p.segments.length; i++) {
    const s = p.segments[i];
    if (s === null ? parts[i] === '' : s !== parts[i]) return false;
  }
  return true;
}

/**
 * Collects the route table (call before routes are added) and answers 405 for known paths. An
 * OPTIONS that is not a CORS preflight from an allowed origin answers 204 with `Allow` (a known path)
 * and no CORS headers: a foreign origin is granted nothing.
 */
export function registerMethodNotAllowed(fastify: FastifyInstance, corsOrigins: readonly string[]): RouteMethods {
  const table = new RouteMethods();
  const origins = new Set(corsOrigins);
  fastify.addHook('onRoute', (r: RouteOptions) => table.add(r.url, r.method));
  fastify.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const options = req.method === 'OPTIONS';
    // Matched requests (the hot path) leave at once (is404, unlike routeOptions, allocates nothing).
    if (!options && !req.is404) return done();
    if (options && isAllowedPreflight(req, origins)) return done();
    const path = (req.raw.url ?? '').split('?')[0];
    const allow = table.allowFor(path);
    if (allow === undefined) return done();
    if (options) {
      reply.status(204).header('allow', `${allow}, OPTIONS`).send();
      return;
    }
    sendProblem(reply, req, 405, `${req.method} is not allowed on ${path}; allowed: ${allow}`, undefined, {
      allow,
      'cache-control': 'private, no-store',
    });
  });
  return table;
}

function isAllowedPreflight(req: FastifyRequest, origins: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  return origin !== undefined && origins.has(origin) && req.headers['access-control-request-method'] !== undefined;
}
