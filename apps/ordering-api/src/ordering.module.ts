import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import type { AuthOptions } from './auth/auth.options';
import { InternalOrdersController } from './orders/internal-orders.controller';
import { OrdersController } from './orders/orders.controller';
import { OrdersService } from './orders/orders.service';

@Module({})
export class OrderingModule {
  static forRoot(auth: AuthOptions): DynamicModule {
    return {
      module: OrderingModule,
      imports: [AuthModule.forRoot(auth)],
      controllers: [OrdersController, InternalOrdersController],
      providers: [OrdersService],
    };
  }
}
