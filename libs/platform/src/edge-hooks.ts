import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import type { RequestContext } from '@app/context';
import type { BffMetrics } from './metrics';
import { sendProblem } from './problem.filter';

const ALLOWED_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS']);
const ALLOW_HEADER = [...ALLOWED_METHODS].join(', ');
/** Bearer tokens in URLs end up in proxy logs and browser history: refuse them outright. */
const TOKEN_IN_QUERY = /[?&](access_token|id_token|token|jwt|authorization|bearer)=/i;

export interface EdgeOptions {
  ipAllowlist: string[];
  metrics: BffMetrics;
  logger: PinoLogger;
  contextOf: (req: FastifyRequest) => RequestContext | undefined;
}

/** A BlockList of the allowed addresses and ranges (IPv4 and IPv6, single IPs or CIDRs); undefined = all. */
export function allowListFrom(entries: string[]): BlockList | undefined {
  if (entries.length === 0) return undefined;
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const type = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
    if (!type) throw new Error(`IP_ALLOWLIST: "${entry}" is not an IP address or CIDR`);
    if (prefix === undefined) list.addAddress(address, type);
    else {
      const bits = Number(prefix);
      if (!Number.isInteger(bits) || bits < 0 || bits > (type === 'ipv4' ? 32 : 128)) {
        throw new Error(`IP_ALLOWLIST: "${entry}" has an invalid prefix length`);
      }
      list.addSubnet(address, bits, type);
    }
  }
  return list;
}

function allowed(list: BlockList, ip: string): boolean {
  // An IPv4 client on a dual-stack socket shows up as ::ffff:a.b.c.d.
  const v4 = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : undefined;
  if (v4) return list.check(v4, 'ipv4') || list.check(ip, 'ipv6');
  return isIPv4(ip) ? list.check(ip, 'ipv4') : list.check(ip, 'ipv6');
}

/**
 * The edge checks every request passes before routing (allowlist, methods, request-target form,
 * tokens in URLs) and the per-response work: Server-Timing, the duration histogram and one JSON
 * log line (no headers are logged, so Authorization and cookies never reach the logs).
 */
export function registerEdgeHooks(fastify: FastifyInstance, opts: EdgeOptions): void {
  const allowList = allowListFrom(opts.ipAllowlist);

  fastify.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (allowList && !allowed(allowList, req.ip)) return sendProblem(reply, req, 403, 'Your address is not allowed');
    if (!ALLOWED_METHODS.has(req.method)) {
      return sendProblem(reply, req, 405, `Method ${req.method} is not allowed`, undefined, { allow: ALLOW_HEADER });
    }
    const target = req.raw.url ?? '';
    if (!target.startsWith('/')) return sendProblem(reply, req, 400, 'Only origin-form request targets are accepted');
    if (TOKEN_IN_QUERY.test(target)) {
      return sendProblem(reply, req, 400, 'Tokens must be sent in the Authorization header, never in the URL');
    }
    done();
  });

  fastify.addHook('onSend', (req, reply, payload, done) => {
    const timings = opts.contextOf(req)?.timings;
    if (timings && timings.length > 0) reply.header('server-timing', serverTiming(timings));
    done(null, payload);
  });

  fastify.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    const seconds = reply.elapsedTime / 1000;
    opts.metrics.requests.observe({ route, method: req.method, status }, seconds);
    const ctx = opts.contextOf(req);
    if (ctx?.degraded) for (const part of ctx.degraded) opts.metrics.degraded.inc({ part });
    ctx?.endSpan?.({ 'http.request.method': req.method, 'http.route': route, 'http.response.status_code': status }, status >= 500);
    if (opts.logger.isLevelEnabled('info')) {
      opts.logger.info(
        {
          reqId: req.id,
          // The client as TRUSTED_PROXIES resolves it (not the load balancer's address).
          clientIp: req.ip,
          traceId: ctx?.trace?.traceId,
          method: req.method,
          route,
          status,
          durationMs: Math.round(reply.elapsedTime * 10) / 10,
          degraded: ctx?.degraded,
          replayed: ctx?.replayed,
          downstream: ctx?.timings.length ? ctx.timings.map((t) => `${t.service}:${t.outcome}:${Math.round(t.ms)}`) : undefined,
        },
        'request',
      );
    }
    done();
  });
}

/** `catalog;dur=12.3;desc="2 calls", basket;dur=4.1`: time spent per downstream service. */
export function serverTiming(timings: RequestContext['timings']): string {
  const per = new Map<string, { ms: number; n: number }>();
  for (const t of timings) {
    const e = per.get(t.service) ?? { ms: 0, n: 0 };
    e.ms += t.ms;
    e.n++;
    per.set(t.service, e);
  }
  return [...per].map(([s, e]) => `${s};dur=${e.ms.toFixed(1)}${e.n > 1 ? `;desc="${e.n} calls"` : ''}`).join(', ');
}
