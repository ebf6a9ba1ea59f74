import formbody from '@fastify/formbody';
import type { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ProblemDetailsFilter } from '@app/sample-kit';
import { IdentityModule } from './identity.module';
import { SigningKey } from './keys/signing-key';

export { CLIENT_AUDIENCES, DEFAULT_SCOPE, DEMO_USERS } from './token/demo-users';

export interface IdentityAppOptions {
  /** The `iss` of every token, and the base of the discovery document's URLs. */
  issuer: string;
  /** PKCS#8 PEM of an RSA private key; unset: a new RS256 pair is generated at start. */
  privateKeyPem?: string;
  /** Access-token lifetime; 3600 by default. */
  tokenLifetimeSec?: number;
  /** Browser origins of the SPA clients allowed to call the token endpoint; default the web-spa's. */
  corsOrigins?: string[];
  /** Nest log levels; quiet by default. */
  logger?: LogLevel[] | false;
}

/** Builds and initialises the identity app without listening: the caller picks host and port. */
export async function createIdentityApp(options: IdentityAppOptions): Promise<NestFastifyApplication> {
  const key = await SigningKey.create(options.privateKeyPem);
  const settings = { issuer: options.issuer, tokenLifetimeSec: options.tokenLifetimeSec ?? 3600 };
  const app = await NestFactory.create<NestFastifyApplication>(IdentityModule.forRoot(settings, key), new FastifyAdapter(), {
    logger: options.logger ?? ['error', 'warn'],
    // Nest would add its own urlencoded parser and clash with @fastify/formbody; Fastify's
    // built-in JSON parser stays in place either way.
    bodyParser: false,
  });
  // OAuth2 token requests are application/x-www-form-urlencoded (RFC 6749 §4.3.2).
  await app.register(formbody);
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableCors({ origin: options.corsOrigins ?? ['http://localhost:3000'] });
  await app.init();
  return app;
}
