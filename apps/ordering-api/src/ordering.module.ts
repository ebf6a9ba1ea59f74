import { DynamicModule, Module } from '@nestjs/common';
import { SampleAuthModule, type SampleAuthOptions } from '@app/sample-kit';
import { InternalOrdersController } from './orders/internal-orders.controller';
import { OrdersController } from './orders/orders.controller';
import { OrdersService } from './orders/orders.service';

@Module({})
export class OrderingModule {
  static forRoot(auth: SampleAuthOptions): DynamicModule {
    return {
      module: OrderingModule,
      imports: [SampleAuthModule.forRoot(auth)],
      controllers: [OrdersController, InternalOrdersController],
      providers: [OrdersService],
    };
  }
}
