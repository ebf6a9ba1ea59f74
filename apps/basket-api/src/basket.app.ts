import type { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ProblemDetailsFilter, createValidationPipe, type SampleAuthOptions } from '@app/sample-kit';
import { BasketModule, type BasketStores } from './basket.module';

export type { SampleAuthOptions as AuthOptions } from '@app/sample-kit';
export type { BasketStores } from './basket.module';
export type { BasketStore } from './basket/basket.store';
export type { CheckoutLedger } from './checkout/checkout-ledger';

export interface BasketAppOptions {
  /** Token validation: JWKS URL, required issuer, accepted audiences (default web-bff and mobile-bff). */
  auth: SampleAuthOptions;
  /** Base URL of ordering-api, where checkouts become orders. */
  orderingUrl: string;
  /** Limit on the call to ordering-api at checkout; 5000 by default. */
  orderingTimeoutMs?: number;
  /** Reserved for a Redis store (see basket.store.ts); today only logs that baskets stay in memory. */
  redisUrl?: string;
  /** Replace the in-memory stores (e.g. with shared ones). */
  stores?: BasketStores;
  /** Nest log levels; quiet by default. */
  logger?: LogLevel[] | false;
}

/** Builds and initialises the basket app without listening: the caller picks host and port. */
export async function createBasketApp(options: BasketAppOptions): Promise<NestFastifyApplication> {
  const module = BasketModule.forRoot({
    auth: options.auth,
    ordering: { baseUrl: options.orderingUrl.replace(/\/+$/, ''), timeoutMs: options.orderingTimeoutMs ?? 5000 },
    redisUrl: options.redisUrl,
    stores: options.stores,
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), {
    logger: options.logger ?? ['error', 'warn'],
  });
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(createValidationPipe());
  await app.init();
  return app;
}
