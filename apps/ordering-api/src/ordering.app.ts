import type { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ProblemDetailsFilter, createValidationPipe, type SampleAuthOptions } from '@app/sample-kit';
import { OrderingModule } from './ordering.module';

export type { SampleAuthOptions as AuthOptions } from '@app/sample-kit';

export interface OrderingAppOptions {
  /** Token validation: JWKS URL, required issuer, accepted audiences (default web-bff and mobile-bff). */
  auth: SampleAuthOptions;
  /** Nest log levels; quiet by default. */
  logger?: LogLevel[] | false;
}

/** Builds and initialises the ordering app without listening: the caller picks host and port. */
export async function createOrderingApp(options: OrderingAppOptions): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(OrderingModule.forRoot(options.auth), new FastifyAdapter(), {
    logger: options.logger ?? ['error', 'warn'],
  });
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(createValidationPipe());
  await app.init();
  return app;
}
