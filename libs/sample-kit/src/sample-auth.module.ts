import { DynamicModule, Module } from '@nestjs/common';
import { JwtVerifier } from '@app/auth';
import { BearerAuthGuard } from './bearer-auth.guard';
import { DEFAULT_AUDIENCES, type SampleAuthOptions } from './sample-auth.options';

/** Provides BearerAuthGuard (and the JwtVerifier it needs) to a sample service's controllers. */
@Module({})
export class SampleAuthModule {
  static forRoot(options: SampleAuthOptions): DynamicModule {
    return {
      module: SampleAuthModule,
      providers: [
        {
          provide: JwtVerifier,
          useFactory: () =>
            new JwtVerifier({ jwksUrl: options.jwksUrl, issuer: options.issuer, audience: options.audience ?? DEFAULT_AUDIENCES }),
        },
        BearerAuthGuard,
      ],
      exports: [JwtVerifier, BearerAuthGuard],
    };
  }
}
