import { Controller, Get, Query } from '@nestjs/common';
import { Auth } from '@app/platform';
import { CursorPageDto } from '../products/products-query.dto';
import { OrdersComposer } from './orders.composer';

@Controller('api/orders')
@Auth('required')
export class OrdersController {
  constructor(private readonly composer: OrdersComposer) {}

  @Get()
  list(@Query() q: CursorPageDto) {
    return this.composer.list(q.cursor, q.limit);
  }
}
