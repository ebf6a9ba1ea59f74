import { DynamicModule, Module } from '@nestjs/common';
import { JwtVerifier } from '@app/auth';
import { DEFAULT_AUDIENCES, type AuthOptions } from './auth.options';
import { BearerAuthGuard } from './bearer-auth.guard';

@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    return {
      module: AuthModule,
      providers: [
        {
          provide: JwtVerifier,
          useFactory: () => new JwtVerifier({ jwksUrl: options.jwksUrl, issuer: options.issuer, audience: options.audience ?? DEFAULT_AUDIENCES }),
        },
        BearerAuthGuard,
      ],
      exports: [JwtVerifier, BearerAuthGuard],
    };
  }
}
