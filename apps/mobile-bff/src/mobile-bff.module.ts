import { Module, type DynamicModule } from '@nestjs/common';
import type { BffConfig } from '@app/config';
import { BffPlatformModule } from '@app/platform';
import { StorefrontModule } from '@app/storefront';
import { BasketController } from './basket/basket.controller';
import { HomeComposer } from './home/home.composer';
import { HomeController } from './home/home.controller';
import { OrdersComposer } from './orders/orders.composer';
import { OrdersController } from './orders/orders.controller';
import { ProductsComposer } from './products/products.composer';
import { ProductsController } from './products/products.controller';

/** mobile-bff: the mobile app's endpoints; the platform and storefront use-cases are shared with web-bff. */
@Module({})
export class MobileBffModule {
  static forRoot(config: BffConfig): DynamicModule {
    return {
      module: MobileBffModule,
      imports: [BffPlatformModule.forRoot(config), StorefrontModule],
      controllers: [HomeController, ProductsController, BasketController, OrdersController],
      providers: [HomeComposer, ProductsComposer, OrdersComposer],
    };
  }
}
