import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { normalizeIp, type ThrottlerStorage } from '@nestjs/throttler';
import { sendProblem } from '../problem.filter';
import { DEFAULT_RATE_LIMIT, RATE_LIMIT_SETTINGS, RATE_LIMIT_STORAGE } from './rate-limit.constants';
import { formatWindow, type RateLimitSettings } from './rate-limit.settings';

/**
 * Routes served by Fastify directly (the gateway's passthrough) never meet the Nest guard, so they are
 * counted here, in the same `default` budget and storage. The caller is counted by IP: the token of a
 * passthrough route is only verified later, and an unverified `sub` must not choose the bucket.
 */
export function limitRawRoutes(app: NestFastifyApplication, routeUrls: ReadonlySet<string>): void {
  const settings = app.get<RateLimitSettings>(RATE_LIMIT_SETTINGS);
  const storage = app.get<ThrottlerStorage>(RATE_LIMIT_STORAGE);
  const budget = settings.classes.find((c) => c.name === DEFAULT_RATE_LIMIT) ?? settings.classes[0];
  if (!budget) return;
  const prefix = `${settings.keyPrefix}${budget.name}:ip:`;
  const detail = `Too many requests: limit ${budget.limit} per ${formatWindow(budget.windowMs)}`;
  app
    .getHttpAdapter()
    .getInstance()
    // A callback hook: it runs on every request of the app and most are not passthrough ones.
    .addHook('onRequest', (req, reply, done) => {
      if (!routeUrls.has(req.routeOptions.url ?? '')) return done();
      const ip = normalizeIp(req.ip);
      storage
        .increment(prefix + ip, budget.windowMs, budget.limit, budget.windowMs, budget.name)
        .then((record) => {
          reply.header('RateLimit-Limit', budget.limit);
          reply.header('RateLimit-Remaining', Math.max(0, budget.limit - record.totalHits));
          reply.header('RateLimit-Reset', record.timeToExpire);
          if (!record.isBlocked) return true;
          settings.onLimited?.({
            className: budget.name,
            trackedBy: 'ip',
            route: req.routeOptions.url ?? '',
            retryAfterSec: record.timeToBlockExpire,
          });
          sendProblem(reply, req, 429, detail, undefined, { 'retry-after': String(Math.max(1, record.timeToBlockExpire)) });
          return false;
        })
        // As Fastify does for an async hook: go on, or hand the error to its error handling.
        .then(
          (go) => go && done(),
          (err: unknown) => done(err instanceof Error ? err : new Error('rate-limit storage failed')),
        );
    });
}
