import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiProblems, Auth } from '@app/platform';
import { ApiPositiveIntParam, PositiveIntPipe } from '@app/storefront';
import { OrdersComposer } from './orders.composer';
import { CancelledOrder, WebOrder, WebOrderList } from './web-order';

@ApiTags('orders')
@Controller('api/orders')
@Auth('required')
export class OrdersController {
  constructor(private readonly composer: OrdersComposer) {}

  @Get()
  @ApiOperation({ summary: 'The caller’s orders' })
  @ApiAnswer(WebOrderList)
  list(): Promise<WebOrderList> {
    return this.composer.list();
  }

  @Get(':orderNumber')
  @ApiOperation({ summary: 'One of the caller’s orders' })
  @ApiPositiveIntParam('orderNumber')
  @ApiAnswer(WebOrder)
  @ApiProblems({ 404: 'The caller has no order with this number (also when it is someone else’s)' })
  one(@Param('orderNumber', PositiveIntPipe) orderNumber: number): Promise<WebOrder> {
    return this.composer.one(orderNumber);
  }

  @Post(':orderNumber/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancels one of the caller’s orders (retrying is safe: one cancel per x-request-id)' })
  @ApiPositiveIntParam('orderNumber')
  @ApiAnswer(CancelledOrder)
  @ApiProblems({ 404: 'The caller has no order with this number', 409: 'The order can no longer be cancelled' })
  cancel(@Param('orderNumber', PositiveIntPipe) orderNumber: number): Promise<CancelledOrder> {
    return this.composer.cancel(orderNumber);
  }
}
