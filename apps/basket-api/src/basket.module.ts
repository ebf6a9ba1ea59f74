import { DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { SampleAuthModule, type SampleAuthOptions } from '@app/sample-kit';
import { BasketController } from './basket/basket.controller';
import { BASKET_STORE, InMemoryBasketStore, type BasketStore } from './basket/basket.store';
import { RedisBasketStore } from './basket/redis-basket.store';
import { CHECKOUT_LEDGER, InMemoryCheckoutLedger, checkoutClaimTtlMs, type CheckoutLedger } from './checkout/checkout-ledger';
import { CheckoutController } from './checkout/checkout.controller';
import { CheckoutService } from './checkout/checkout.service';
import {
  DEFAULT_ORDERING_TIMEOUT_MS,
  ORDERING_CLIENT_OPTIONS,
  OrderingClient,
  type OrderingClientOptions,
} from './checkout/ordering.client';
import { RedisCheckoutLedger, type RedisCheckoutLedgerOptions } from './checkout/redis-checkout-ledger';
import { closeRedis, connectRedis } from './redis/redis-connection';

export interface BasketStores {
  baskets: BasketStore;
  checkouts: CheckoutLedger;
  /** Frees what the stores hold open (the Redis connection). */
  close?(): Promise<void>;
}

export interface BasketModuleOptions {
  auth: SampleAuthOptions;
  ordering: OrderingClientOptions;
  redisUrl?: string;
  /** Before every Redis key; none by default. */
  redisKeyPrefix?: string;
  /** Stores owned by the caller: used as they are, never closed by the app. */
  stores?: BasketStores;
}

/**
 * The storage seam: in process by default; in Redis, shared by every replica, when `redisUrl` is
 * set (one connection for both stores, closed by `close()`).
 */
export function createBasketStores(
  redisUrl: string | undefined,
  options: RedisCheckoutLedgerOptions = { claimTtlMs: checkoutClaimTtlMs(DEFAULT_ORDERING_TIMEOUT_MS) },
): BasketStores {
  if (!redisUrl) return { baskets: new InMemoryBasketStore(), checkouts: new InMemoryCheckoutLedger() };
  const redis = connectRedis(redisUrl);
  return {
    baskets: new RedisBasketStore(redis, options.keyPrefix),
    checkouts: new RedisCheckoutLedger(redis, options),
    close: () => closeRedis(redis),
  };
}

const OWNED_STORES = Symbol('OWNED_STORES');

/** Closes the stores the module created itself when the app shuts down (app.close(), SIGTERM). */
@Injectable()
class OwnedStoresCloser implements OnApplicationShutdown {
  constructor(@Inject(OWNED_STORES) private readonly owned: BasketStores | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.owned?.close?.();
  }
}

@Module({})
export class BasketModule {
  static forRoot(options: BasketModuleOptions): DynamicModule {
    const stores =
      options.stores ??
      createBasketStores(options.redisUrl, {
        keyPrefix: options.redisKeyPrefix,
        claimTtlMs: checkoutClaimTtlMs(options.ordering.timeoutMs),
      });
    const providers: Provider[] = [
      { provide: BASKET_STORE, useValue: stores.baskets },
      { provide: CHECKOUT_LEDGER, useValue: stores.checkouts },
      { provide: OWNED_STORES, useValue: options.stores ? null : stores },
      OwnedStoresCloser,
      { provide: ORDERING_CLIENT_OPTIONS, useValue: options.ordering },
      OrderingClient,
      CheckoutService,
    ];
    return {
      module: BasketModule,
      imports: [SampleAuthModule.forRoot(options.auth)],
      controllers: [BasketController, CheckoutController],
      providers,
    };
  }
}
