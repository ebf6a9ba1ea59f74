import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, Auth } from '@app/platform';
import { CursorPageDto } from '../products/products-query.dto';
import { MobileOrderPage } from './mobile-orders';
import { OrdersComposer } from './orders.composer';

@ApiTags('orders')
@Controller('api/orders')
@Auth('required')
export class OrdersController {
  constructor(private readonly composer: OrdersComposer) {}

  @Get()
  @ApiOperation({ summary: 'The caller’s orders, newest first, cursor-paged' })
  @ApiAnswer(MobileOrderPage)
  list(@Query() q: CursorPageDto): Promise<MobileOrderPage> {
    return this.composer.list(q.cursor, q.limit);
  }
}
