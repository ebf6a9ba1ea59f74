import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, type ThrottlerStorage } from '@nestjs/throttler';
import { FixedWindowThrottlerStorage } from './fixed-window.storage';
import type { BffConfig } from '@app/config';
import { RATE_LIMIT_SETTINGS, RATE_LIMIT_STORAGE } from './rate-limit.constants';
import { RateLimitCounters } from './rate-limit.counters';
import { RateLimitGuard } from './rate-limit.guard';
import { rateLimitSettings, type RateLimitOptions, type RateLimitSettings } from './rate-limit.settings';
import { ResilientThrottlerStorage } from './resilient-throttler.storage';

/** In memory without REDIS_URL; with it, Redis with a per-call local fallback. */
async function createStorage(settings: RateLimitSettings, counters: RateLimitCounters): Promise<ThrottlerStorage> {
  if (!settings.redisUrl) return new FixedWindowThrottlerStorage();
  const storage = ResilientThrottlerStorage.connect(settings, counters);
  // So the first requests find the connection up (or known down), not still connecting.
  await storage.whenSettled(settings.redis.connectTimeoutMs);
  return storage;
}

/** Settings, counters and storage: imported by both the throttler module and the guard's module. */
@Module({})
class RateLimitStorageModule {}

/**
 * The global-guard registration of `RateLimitGuard`. The guard counts the verified caller, so it
 * must run after the AuthGuard: list this right after `{ provide: APP_GUARD, useClass: AuthGuard }`
 * in the same `providers` array. Nest runs global guards in registration order, and only the order
 * within one module's providers is fixed (modules are registered concurrently, in no set order).
 */
export const RATE_LIMIT_GUARD: Provider = { provide: APP_GUARD, useExisting: RateLimitGuard };

/**
 * Rate limiting for a BFF (CONTRACTS.md §2 RATE_LIMIT_MAX / RATE_LIMIT_WINDOW_MS / REDIS_URL, §3
 * "rate limit"): @nestjs/throttler with two classes, `default` (every counted route) and `checkout`
 * (routes marked `@RateLimitClass('checkout')`, stricter), counted in memory or, with REDIS_URL, in
 * Redis with a local fallback. Provides `RateLimitGuard`; register it as a global guard with
 * `RATE_LIMIT_GUARD`, after the AuthGuard. Global, so `RateLimitCounters` can be injected anywhere
 * (a metrics module).
 */
@Module({})
export class RateLimitModule {
  static forRoot(config: BffConfig, options: RateLimitOptions = {}): DynamicModule {
    const settings = rateLimitSettings(config, options);
    const storageModule: DynamicModule = {
      module: RateLimitStorageModule,
      providers: [
        { provide: RATE_LIMIT_SETTINGS, useValue: settings },
        RateLimitCounters,
        { provide: RATE_LIMIT_STORAGE, inject: [RATE_LIMIT_SETTINGS, RateLimitCounters], useFactory: createStorage },
      ],
      exports: [RATE_LIMIT_SETTINGS, RateLimitCounters, RATE_LIMIT_STORAGE],
    };
    return {
      module: RateLimitModule,
      global: true,
      imports: [
        storageModule,
        ThrottlerModule.forRootAsync({
          imports: [storageModule],
          inject: [RATE_LIMIT_SETTINGS, RATE_LIMIT_STORAGE],
          useFactory: (s: RateLimitSettings, storage: ThrottlerStorage) => ({
            throttlers: s.classes.map((c) => ({ name: c.name, limit: c.limit, ttl: c.windowMs })),
            storage,
          }),
        }),
      ],
      providers: [RateLimitGuard],
      exports: [storageModule, RateLimitGuard],
    };
  }
}
