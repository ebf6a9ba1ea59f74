import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Auth } from '@app/platform';
import { PositiveIntPipe } from '@app/storefront';
import { OrdersComposer } from './orders.composer';

@Controller('api/orders')
@Auth('required')
export class OrdersController {
  constructor(private readonly composer: OrdersComposer) {}

  @Get()
  list() {
    return this.composer.list();
  }

  @Get(':orderNumber')
  one(@Param('orderNumber', PositiveIntPipe) orderNumber: number) {
    return this.composer.one(orderNumber);
  }

  @Post(':orderNumber/cancel')
  @HttpCode(200)
  cancel(@Param('orderNumber', PositiveIntPipe) orderNumber: number) {
    return this.composer.cancel(orderNumber);
  }
}
