import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LogLevel } from '@nestjs/common';
import { CatalogModule } from './catalog.module';
import { ProblemDetailsFilter } from '@app/sample-kit';

export interface CatalogAppOptions {
  /**
   * Base URL put in front of `/api/v1/catalog/items/{id}/pic` in `pictureUri`, e.g.
   * `http://localhost:5101`. Unset: the Host header of each request (so it also works on port 0).
   */
  pictureBaseUrl?: string;
  /** Nest log levels; quiet by default. */
  logger?: LogLevel[] | false;
}

/** Builds and initialises the catalog app without listening: the caller picks host and port. */
export async function createCatalogApp(options: CatalogAppOptions = {}): Promise<NestFastifyApplication> {
  const pictureBaseUrl = options.pictureBaseUrl?.replace(/\/+$/, '');
  const app = await NestFactory.create<NestFastifyApplication>(CatalogModule.forRoot({ pictureBaseUrl }), new FastifyAdapter(), {
    logger: options.logger ?? ['error', 'warn'],
  });
  app.useGlobalFilters(new ProblemDetailsFilter());
  await app.init();
  return app;
}
