import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { BFF_CONFIG, type BffConfig } from '@app/config';
import { BasketClient } from './basket.client';
import { CatalogClient } from './catalog.client';
import { DOWNSTREAM_OBSERVER, type DownstreamObserver } from './downstream-observer';
import { HttpTransport } from './http-transport';
import { MemoryResponseCache, RedisResponseCache } from './response-cache';
import { OrderingClient } from './ordering.client';

export const DOWNSTREAM_TRANSPORTS = Symbol('DOWNSTREAM_TRANSPORTS');
export type DownstreamName = 'catalog' | 'basket' | 'ordering';
export type Transports = Record<DownstreamName, HttpTransport>;

function createTransports(config: BffConfig, observer?: DownstreamObserver): Transports {
  const r = config.resilience;
  const cacheStore =
    config.cacheTtlMs > 0
      ? config.redisUrl
        ? new RedisResponseCache(config.redisUrl, `${config.app}:cache:`)
        : new MemoryResponseCache()
      : undefined;
  const make = (service: DownstreamName) =>
    new HttpTransport({
      service,
      baseUrls: config.downstreams[service],
      attemptTimeoutMs: config.downstreamTimeoutMs,
      maxBodyBytes: config.downstreamMaxBodyBytes,
      connections: config.downstreamConnections,
      maxConcurrency: r.maxConcurrency,
      breaker: r.breaker,
      retry: r.retry,
      observer,
      // Only catalog reads are the same for every user: coalesced, cached, served stale, hedged. Basket and ordering never.
      shared: service === 'catalog',
      staleIfErrorMs: r.staleIfErrorMs,
      cache: cacheStore ? { store: cacheStore, ttlMs: config.cacheTtlMs } : undefined,
      hedgeAfterMs: r.hedgeAfterMs,
      // Item lookups are merged only on the shared (catalog) transport; the others ignore it.
      batch: config.catalogBatch,
    });
  return { catalog: make('catalog'), basket: make('basket'), ordering: make('ordering') };
}

/** Owns the pools; closes them when the app shuts down. */
class TransportsLifecycle implements OnApplicationShutdown {
  constructor(@Inject(DOWNSTREAM_TRANSPORTS) private readonly transports: Transports) {}
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(Object.values(this.transports).map((t) => t.close()));
  }
}

/** The typed downstream clients, built from the validated BffConfig (provided globally by the platform module). */
@Global()
@Module({
  providers: [
    {
      provide: DOWNSTREAM_TRANSPORTS,
      inject: [BFF_CONFIG, { token: DOWNSTREAM_OBSERVER, optional: true }],
      useFactory: createTransports,
    },
    { provide: CatalogClient, inject: [DOWNSTREAM_TRANSPORTS], useFactory: (t: Transports) => new CatalogClient(t.catalog) },
    { provide: BasketClient, inject: [DOWNSTREAM_TRANSPORTS], useFactory: (t: Transports) => new BasketClient(t.basket) },
    { provide: OrderingClient, inject: [DOWNSTREAM_TRANSPORTS], useFactory: (t: Transports) => new OrderingClient(t.ordering) },
    TransportsLifecycle,
  ],
  exports: [CatalogClient, BasketClient, OrderingClient, DOWNSTREAM_TRANSPORTS],
})
export class DownstreamModule {}
