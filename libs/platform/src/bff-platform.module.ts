import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { HttpModule } from '@nestjs/axios';
import { TerminusModule } from '@nestjs/terminus';
import { JwtVerifier } from '@app/auth';
import { BFF_CONFIG, type BffConfig } from '@app/config';
import { LoggerModule } from 'nestjs-pino';
import { DOWNSTREAM_OBSERVER, DownstreamModule } from '@app/downstream';
import { AuthGuard, JWT_VERIFIER } from './auth.guard';
import { HealthController } from './health.controller';
import { Lifecycle } from './lifecycle';
import { MetricsController } from './metrics.controller';
import { BffMetrics } from './metrics';
import { createRootLogger, ROOT_LOGGER } from './root-logger';
import { ProblemFilter } from './problem.filter';

/**
 * Everything both BFFs share, wired once: config, downstream clients, auth, problem+json, health.
 * An app module imports `BffPlatformModule.forRoot(config)` and adds only its own feature modules.
 */
@Module({})
export class BffPlatformModule {
  static forRoot(config: BffConfig): DynamicModule {
    const logger = createRootLogger(config);
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
      ],
      controllers: config.admin.mode === 'main' ? [HealthController, MetricsController] : [HealthController],
      providers: [
        { provide: BFF_CONFIG, useValue: config },
        { provide: ROOT_LOGGER, useValue: logger },
        { provide: BffMetrics, useValue: new BffMetrics(config.app) },
        { provide: DOWNSTREAM_OBSERVER, useExisting: BffMetrics },
        Lifecycle,
        {
          provide: JWT_VERIFIER,
          useFactory: () =>
            new JwtVerifier({ jwksUrl: config.auth.jwksUrl, issuer: config.auth.issuer, audience: config.auth.audience }),
        },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
      exports: [BFF_CONFIG, JWT_VERIFIER, Lifecycle, ROOT_LOGGER, BffMetrics, DOWNSTREAM_OBSERVER],
    };
  }
}
