import { HttpException, HttpStatus, Inject, Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  normalizeIp,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { THROTTLER_BLOCK_DURATION, THROTTLER_LIMIT, THROTTLER_SKIP, THROTTLER_TTL } from '@nestjs/throttler/dist/throttler.constants';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequestContextStore } from '@app/context';
import { DEFAULT_RATE_LIMIT, RATE_LIMIT_CLASS, RATE_LIMIT_SETTINGS } from './rate-limit.constants';
import { RateLimitCounters } from './rate-limit.counters';
import { formatWindow, type RateLimitSettings } from './rate-limit.settings';
import { FixedWindowThrottlerStorage } from './fixed-window.storage';

/** What Nest's Reflector reads metadata from: a route handler or its controller class. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- the Reflector's own parameter type
type HandlerOrClass = Function;

/** A 429 the ProblemFilter turns into problem+json (it reads `detail`); headers are already on the reply. */
export class RateLimitExceededException extends HttpException {
  constructor(
    detail: string,
    readonly className: string,
    readonly retryAfterSec: number,
  ) {
    super({ detail }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** One class a route is counted in, with everything the request path needs precomputed. */
interface Budget {
  name: string;
  limit: number;
  ttl: number;
  blockDuration: number;
  userPrefix: string;
  ipPrefix: string;
  /** `Too many requests: limit 300 per 60 s` */
  detail: string;
}

interface HandlerPlan {
  cls: HandlerOrClass;
  budgets: readonly Budget[];
  /** `@Auth('required')`: past a correctly ordered AuthGuard there is always a verified caller. */
  authRequired: boolean;
}

const NOT_COUNTED: readonly Budget[] = [];

/** Which budgets counted a request (opaque outside the guard): the answer cache keeps it with an answer. */
export type RateLimitPlan = { readonly budgets: readonly unknown[] };
const PLAN = Symbol('rate-limit-plan');
type PlannedRequest = FastifyRequest & { [PLAN]?: HandlerPlan };

/** The plan the guard counted this request with, if it counted it. */
export function rateLimitPlanOf(req: FastifyRequest): RateLimitPlan | undefined {
  return (req as PlannedRequest)[PLAN];
}
/** AuthGuard's metadata key (see auth.guard.ts), read only to detect a guard registered before it. */
const AUTH_MODE = 'bff:auth-mode';

/**
 * `/health/*`, `/metrics` and `/docs*` are never counted (CONTRACTS.md §3). Checked on the matched
 * route pattern, so neither a query string nor a path parameter can make a counted route look exempt.
 */
export function isUncountedPath(path: string): boolean {
  if (path.startsWith('/health')) return path.length === 7 || path.charCodeAt(7) === 47; // '/'
  if (path.startsWith('/metrics')) return path.length === 8 || path.charCodeAt(8) === 47;
  return path.startsWith('/docs');
}

/**
 * The BFFs' rate limiter: a ThrottlerGuard that
 * - runs after the AuthGuard and counts the verified caller (token `sub`, from the request
 *   context), else the client IP (an IPv6 /64 counts as one client);
 * - counts every route in one budget per client (RATE_LIMIT_MAX per RATE_LIMIT_WINDOW_MS), and the
 *   routes marked `@RateLimitClass('checkout')` in the checkout budget as well;
 * - skips `/health/*`, `/metrics`, `/docs*`, and honours `@SkipThrottle()` / static `@Throttle()`;
 * - answers `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds) for the budget
 *   closest to running out, and on a 429 also `Retry-After`; the 429 body is the ProblemFilter's.
 *
 * Hot path: which budgets apply to a handler is worked out on its first request and cached, so a
 * request costs one key string, one storage increment per budget and three headers.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override headerPrefix = 'RateLimit';
  private readonly plans = new WeakMap<HandlerOrClass, HandlerPlan>();
  private readonly warned = new Set<string>();
  private limitHeader = '';
  private remainingHeader = '';
  private resetHeader = '';

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storageService: ThrottlerStorage,
    reflector: Reflector,
    @Inject(RATE_LIMIT_SETTINGS) private readonly settings: RateLimitSettings,
    private readonly counters: RateLimitCounters,
  ) {
    super(options, storageService, reflector);
  }

  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    this.limitHeader = `${this.headerPrefix}-Limit`;
    this.remainingHeader = `${this.headerPrefix}-Remaining`;
    this.resetHeader = `${this.headerPrefix}-Reset`;
  }

  // Synchronous with the in-process counters (no promise for Nest or AsyncLocalStorage to track);
  // a promise only when the storage is remote.
  // @ts-expect-error -- ThrottlerGuard narrowed the result to a Promise; Nest's CanActivate, which calls it, takes a boolean too.
  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const pending = this.count(context, false);
    return pending ? pending.then(() => true) : true;
  }

  /**
   * Counts a request the AuthGuard refuses (missing, malformed or invalid token; keys that cannot be
   * checked) against the client address, so guessing tokens costs budget like any request. Throws
   * the 429 once the budget is spent; else returns and the AuthGuard throws its own refusal.
   */
  async countRefused(context: ExecutionContext): Promise<void> {
    await this.count(context, true);
  }

  private count(context: ExecutionContext, refused: boolean): Promise<void> | undefined {
    if (context.getType() !== 'http') return undefined;
    const plan = this.planFor(context);
    const budgets = plan.budgets;
    if (budgets.length === 0) return undefined;
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    if (isUncountedPath(req.routeOptions.url ?? req.url)) return undefined;
    const reply = http.getResponse<FastifyReply>();
    if (!refused) (req as PlannedRequest)[PLAN] = plan;
    return this.countWith(plan, req, reply, refused);
  }

  /**
   * Counts a request whose answer is replayed by the answer cache (the guard does not run for it)
   * exactly as the guard counted the request that built the answer; throws the 429 when spent.
   */
  countReplay(plan: RateLimitPlan, req: FastifyRequest, reply: FastifyReply): Promise<void> | undefined {
    return this.countWith(plan as HandlerPlan, req, reply, false);
  }

  private countWith(plan: HandlerPlan, req: FastifyRequest, reply: FastifyReply, refused: boolean): Promise<void> | undefined {
    const budgets = plan.budgets;
    const sub = refused ? undefined : RequestContextStore.current()?.principal?.sub;
    if (sub === undefined && plan.authRequired && !refused) this.reportMisordered();
    const ip = sub === undefined ? this.clientIp(req) : '';
    const tally = { limit: 0, remaining: Number.POSITIVE_INFINITY, reset: 0 };
    const add = (b: Budget, record: ThrottlerStorageRecord) => {
      if (record.isBlocked) this.reject(req, reply, b, record.timeToBlockExpire, sub !== undefined);
      const left = b.limit - record.totalHits;
      if (left < tally.remaining) {
        tally.remaining = left;
        tally.limit = b.limit;
        tally.reset = record.timeToExpire;
      }
    };
    const finish = () => {
      reply.header(this.limitHeader, tally.limit);
      reply.header(this.remainingHeader, tally.remaining > 0 ? tally.remaining : 0);
      reply.header(this.resetHeader, tally.reset > 0 ? tally.reset : 0);
    };
    const key = (b: Budget) => (sub === undefined ? b.ipPrefix + ip : b.userPrefix + sub);
    const storage = this.storageService;
    if (storage instanceof FixedWindowThrottlerStorage) {
      for (const b of budgets) add(b, storage.incrementNow(key(b), b.ttl, b.limit, b.blockDuration, b.name));
      return void finish();
    }
    return (async () => {
      // One budget after the other: a spent one refuses before the next is counted.
      for (const b of budgets) add(b, await storage.increment(key(b), b.ttl, b.limit, b.blockDuration, b.name));
      finish();
    })();
  }

  /** The tracker as ThrottlerGuard defines it (used only if a subclass calls the base request path). */
  protected override async getTracker(req: Record<string, any>): Promise<string> {
    const sub = RequestContextStore.current()?.principal?.sub;
    return sub === undefined ? `ip:${this.clientIp(req as FastifyRequest)}` : `u:${sub}`;
  }

  private clientIp(req: FastifyRequest): string {
    return normalizeIp(req.ip, this.ipv6SubnetPrefix);
  }

  private reject(req: FastifyRequest, reply: FastifyReply, b: Budget, blockSec: number, byUser: boolean): never {
    const retryAfter = blockSec > 0 ? blockSec : 1;
    reply.header('Retry-After', retryAfter);
    reply.header(this.limitHeader, b.limit);
    reply.header(this.remainingHeader, 0);
    reply.header(this.resetHeader, retryAfter);
    this.counters.recordLimited(b.name);
    const onLimited = this.settings.onLimited;
    if (onLimited) {
      try {
        onLimited({ className: b.name, trackedBy: byUser ? 'user' : 'ip', route: req.routeOptions.url ?? '', retryAfterSec: retryAfter });
      } catch (err) {
        this.warnOnce('onLimited', `onLimited hook failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    throw new RateLimitExceededException(b.detail, b.name, retryAfter);
  }

  /** What applies to a handler, worked out once (metadata does not change after start). */
  private planFor(context: ExecutionContext): HandlerPlan {
    const handler = context.getHandler();
    const cls = context.getClass();
    const cached = this.plans.get(handler);
    if (cached !== undefined && cached.cls === cls) return cached;
    const plan: HandlerPlan = {
      cls,
      budgets: this.resolveBudgets(handler, cls),
      authRequired: this.reflector.getAllAndOverride<string>(AUTH_MODE, [handler, cls]) === 'required',
    };
    this.plans.set(handler, plan);
    return plan;
  }

  private reportMisordered(): void {
    this.warnOnce(
      'order',
      'RateLimitGuard ran before the AuthGuard, so signed-in callers are counted by IP: register RATE_LIMIT_GUARD ' +
        'right after the AuthGuard in the same providers array',
      'error',
    );
  }

  private resolveBudgets(handler: HandlerOrClass, cls: HandlerOrClass): readonly Budget[] {
    const targets = [handler, cls];
    const optedIn = this.reflector.getAllAndMerge<string[]>(RATE_LIMIT_CLASS, targets) ?? [];
    for (const name of optedIn) {
      if (name === DEFAULT_RATE_LIMIT || !this.throttlers.some((t) => t.name === name)) {
        this.warnOnce(`class:${name}`, `@RateLimitClass('${name}') on ${cls.name}.${handler.name}: no such rate-limit class; ignored`);
      }
    }
    const budgets: Budget[] = [];
    for (const throttler of this.throttlers) {
      const name = throttler.name ?? DEFAULT_RATE_LIMIT;
      if (name !== DEFAULT_RATE_LIMIT && !optedIn.includes(name)) continue;
      if (this.reflector.getAllAndOverride<boolean>(THROTTLER_SKIP + name, targets)) continue;
      const limit = this.staticNumber(THROTTLER_LIMIT + name, targets, throttler.limit, 'limit', name);
      const ttl = this.staticNumber(THROTTLER_TTL + name, targets, throttler.ttl, 'ttl', name);
      const blockDuration = this.staticNumber(
        THROTTLER_BLOCK_DURATION + name,
        targets,
        throttler.blockDuration ?? ttl,
        'blockDuration',
        name,
      );
      const prefix = `${this.settings.keyPrefix}${name}:`;
      budgets.push({
        name,
        limit,
        ttl,
        blockDuration: blockDuration > 0 ? blockDuration : ttl,
        userPrefix: `${prefix}u:`,
        ipPrefix: `${prefix}ip:`,
        detail: `Too many requests: limit ${limit} per ${formatWindow(ttl)}`,
      });
    }
    return budgets.length > 0 ? budgets : NOT_COUNTED;
  }

  /** A route's `@Throttle()` value, else the class's; only numbers (resolvers would cost per request). */
  private staticNumber(key: string, targets: HandlerOrClass[], fallback: unknown, option: string, name: string): number {
    const value = this.reflector.getAllAndOverride<unknown>(key, targets) ?? fallback;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof fallback === 'number') {
      this.warnOnce(`${option}:${name}`, `The "${option}" of rate-limit class "${name}" must be a number; using ${fallback}`);
      return fallback;
    }
    throw new Error(`The "${option}" of rate-limit class "${name}" must be a number`);
  }

  private warnOnce(key: string, message: string, level: 'warn' | 'error' = 'warn'): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.logger[level](message);
  }
}
