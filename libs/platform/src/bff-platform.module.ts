import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { HttpModule } from '@nestjs/axios';
import { TerminusModule } from '@nestjs/terminus';
import { JwtVerifier } from '@app/auth';
import { BFF_CONFIG, type BffConfig } from '@app/config';
import { DownstreamModule } from '@app/downstream';
import { AuthGuard, JWT_VERIFIER } from './auth.guard';
import { HealthController } from './health.controller';
import { Lifecycle } from './lifecycle';
import { ProblemFilter } from './problem.filter';

/**
 * Everything both BFFs share, wired once: config, downstream clients, auth, problem+json, health.
 * An app module imports `BffPlatformModule.forRoot(config)` and adds only its own feature modules.
 */
@Module({})
export class BffPlatformModule {
  static forRoot(config: BffConfig): DynamicModule {
    return {
      module: BffPlatformModule,
      global: true,
      imports: [DownstreamModule, TerminusModule.forRoot({ logger: false }), HttpModule],
      controllers: [HealthController],
      providers: [
        { provide: BFF_CONFIG, useValue: config },
        Lifecycle,
        {
          provide: JWT_VERIFIER,
          useFactory: () =>
            new JwtVerifier({ jwksUrl: config.auth.jwksUrl, issuer: config.auth.issuer, audience: config.auth.audience }),
        },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
      exports: [BFF_CONFIG, JWT_VERIFIER, Lifecycle],
    };
  }
}
