import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { HttpModule } from '@nestjs/axios';
import { TerminusModule } from '@nestjs/terminus';
import { JwtVerifier } from '@app/auth';
import { BFF_CONFIG, type BffConfig } from '@app/config';
import { LoggerModule } from 'nestjs-pino';
import { DOWNSTREAM_OBSERVER, DownstreamModule, type DownstreamObserver } from '@app/downstream';
import { AuthGuard, JWT_VERIFIER } from './auth.guard';
import { HealthController } from './health.controller';
import { Lifecycle } from './lifecycle';
import { MetricsController } from './metrics.controller';
import { BffMetrics } from './metrics';
import type { OtelTracing } from './otel-tracing';
import { RATE_LIMIT_GUARD, RateLimitModule } from './rate-limit';
import { createRootLogger, ROOT_LOGGER } from './root-logger';
import { ProblemFilter } from './problem.filter';

export const OTEL_TRACING = Symbol('OTEL_TRACING');

/**
 * The OpenTelemetry SDK is loaded only when export is on: ≈ 2.7 MB of heap (and its share of RSS
 * under load) that a BFF without a collector never uses.
 */
function loadTracing(): typeof OtelTracing {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy require is the point
  return (require('./otel-tracing') as typeof import('./otel-tracing')).OtelTracing;
}

/** Metrics always; client spans too when OpenTelemetry export is on. */
function downstreamObserver(metrics: BffMetrics, tracing: OtelTracing | undefined): DownstreamObserver {
  if (!tracing) return metrics;
  return {
    attempt: (service, outcome, seconds) => metrics.attempt(service, outcome, seconds),
    cache: (service, hit) => metrics.cache(service, hit),
    batch: (service, size) => metrics.batch(service, size),
    span: (_service, name, parent) => tracing.client(name, parent),
  };
}

/** Flushes spans still queued when the app closes. */
@Injectable()
class TracingLifecycle implements OnApplicationShutdown {
  constructor(@Inject(OTEL_TRACING) private readonly tracing: OtelTracing | null) {}
  async onApplicationShutdown(): Promise<void> {
    await this.tracing?.shutdown();
  }
}

/**
 * Everything both BFFs share, wired once: config, downstream clients, auth, problem+json, health.
 * An app module imports `BffPlatformModule.forRoot(config)` and adds only its own feature modules.
 */
@Module({})
export class BffPlatformModule {
  static forRoot(config: BffConfig): DynamicModule {
    const logger = createRootLogger(config);
    const metrics = new BffMetrics(config.app);
    const tracing = config.otel ? new (loadTracing())(config.otel.endpoint, config.otel.serviceName) : undefined;
    return {
      module: BffPlatformModule,
      global: true,
      imports: [
        DownstreamModule,
        TerminusModule.forRoot({ logger: false }),
        HttpModule,
        // Nest's own logs as JSON through the same pino logger; request lines come from the edge hook,
        // so no per-request middleware (forRoutes: []).
        LoggerModule.forRoot({ pinoHttp: { logger, autoLogging: false }, forRoutes: [] }),
        RateLimitModule.forRoot(config, { onLimited: (e) => metrics.rateLimited.inc({ class: e.className }) }),
      ],
      controllers: config.admin.mode === 'main' ? [HealthController, MetricsController] : [HealthController],
      providers: [
        { provide: BFF_CONFIG, useValue: config },
        { provide: ROOT_LOGGER, useValue: logger },
        { provide: BffMetrics, useValue: metrics },
        { provide: OTEL_TRACING, useValue: tracing ?? null },
        { provide: DOWNSTREAM_OBSERVER, useValue: downstreamObserver(metrics, tracing) },
        TracingLifecycle,
        Lifecycle,
        {
          provide: JWT_VERIFIER,
          useFactory: () =>
            new JwtVerifier({
              jwksUrl: config.auth.jwksUrl,
              issuer: config.auth.issuer,
              audience: config.auth.audience,
              clockToleranceSec: config.auth.clockSkewSec,
            }),
        },
        // Order matters: the rate limit keys on the caller the AuthGuard has verified.
        { provide: APP_GUARD, useClass: AuthGuard },
        RATE_LIMIT_GUARD,
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
      exports: [BFF_CONFIG, JWT_VERIFIER, Lifecycle, ROOT_LOGGER, BffMetrics, DOWNSTREAM_OBSERVER, OTEL_TRACING],
    };
  }
}
