import type { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ProblemDetailsFilter, createValidationPipe, type SampleAuthOptions } from '@app/sample-kit';
import { BasketModule, type BasketStores } from './basket.module';
import { DEFAULT_ORDERING_TIMEOUT_MS } from './checkout/ordering.client';

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
  /** When set, baskets and the checkout ledger live in this Redis, shared by every replica; else in memory. */
  redisUrl?: string;
  /** Before every Redis key (e.g. one namespace per environment or test run); none by default. */
  redisKeyPrefix?: string;
  /** Replace the stores with the caller's own (the caller closes them). */
  stores?: BasketStores;
  /** Nest log levels; quiet by default. */
  logger?: LogLevel[] | false;
}

/** Builds and initialises the basket app without listening: the caller picks host and port. */
export async function createBasketApp(options: BasketAppOptions): Promise<NestFastifyApplication> {
  const module = BasketModule.forRoot({
    auth: options.auth,
    ordering: { baseUrl: options.orderingUrl.replace(/\/+$/, ''), timeoutMs: options.orderingTimeoutMs ?? DEFAULT_ORDERING_TIMEOUT_MS },
    redisUrl: options.redisUrl,
    redisKeyPrefix: options.redisKeyPrefix,
    stores: options.stores,
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), {
    logger: options.logger ?? ['error', 'warn'],
  });
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(createValidationPipe());
  try {
    await app.init();
  } catch (err) {
    await app.close(); // also closes the Redis connection the module opened
    throw err;
  }
  return app;
}
