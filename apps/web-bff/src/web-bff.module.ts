import { Module, type DynamicModule } from '@nestjs/common';
import type { BffConfig } from '@app/config';
import { BffPlatformModule } from '@app/platform';
import { StorefrontModule } from '@app/storefront';
import { BasketController } from './basket/basket.controller';
import { CheckoutDraftController } from './checkout/checkout-draft.controller';
import { HomeComposer } from './home/home.composer';
import { HomeController } from './home/home.controller';
import { OrdersComposer } from './orders/orders.composer';
import { OrdersController } from './orders/orders.controller';
import { ProductsComposer } from './products/products.composer';
import { ProductsController } from './products/products.controller';

/** web-bff: the SPA's endpoints; everything cross-cutting comes from the platform module. */
@Module({})
export class WebBffModule {
  static forRoot(config: BffConfig): DynamicModule {
    return {
      module: WebBffModule,
      imports: [BffPlatformModule.forRoot(config), StorefrontModule],
      controllers: [HomeController, ProductsController, BasketController, CheckoutDraftController, OrdersController],
      providers: [HomeComposer, ProductsComposer, OrdersComposer],
    };
  }
}
