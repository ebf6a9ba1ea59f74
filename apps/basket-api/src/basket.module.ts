import { DynamicModule, Logger, Module, type Provider } from '@nestjs/common';
import { SampleAuthModule, type SampleAuthOptions } from '@app/sample-kit';
import { BasketController } from './basket/basket.controller';
import { BASKET_STORE, InMemoryBasketStore, type BasketStore } from './basket/basket.store';
import { CHECKOUT_LEDGER, InMemoryCheckoutLedger, type CheckoutLedger } from './checkout/checkout-ledger';
import { CheckoutController } from './checkout/checkout.controller';
import { CheckoutService } from './checkout/checkout.service';
import { ORDERING_CLIENT_OPTIONS, OrderingClient, type OrderingClientOptions } from './checkout/ordering.client';

export interface BasketStores {
  baskets: BasketStore;
  checkouts: CheckoutLedger;
}

export interface BasketModuleOptions {
  auth: SampleAuthOptions;
  ordering: OrderingClientOptions;
  redisUrl?: string;
  stores?: BasketStores;
}

/**
 * The storage seam. TODO(redis): when `redisUrl` is set, return Redis-backed stores here.
 * No Redis client is installed in this repository, so for now every replica keeps its own
 * in-memory baskets; the warning makes that visible to whoever set REDIS_URL.
 */
export function createBasketStores(redisUrl: string | undefined): BasketStores {
  if (redisUrl) {
    new Logger('BasketStore').warn('REDIS_URL is set, but this build has no Redis basket store yet: baskets are kept in memory');
  }
  return { baskets: new InMemoryBasketStore(), checkouts: new InMemoryCheckoutLedger() };
}

@Module({})
export class BasketModule {
  static forRoot(options: BasketModuleOptions): DynamicModule {
    const stores = options.stores ?? createBasketStores(options.redisUrl);
    const providers: Provider[] = [
      { provide: BASKET_STORE, useValue: stores.baskets },
      { provide: CHECKOUT_LEDGER, useValue: stores.checkouts },
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
