import { Body, Controller, ForbiddenException, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Principal } from '@app/auth';
import { BearerAuthGuard, CurrentPrincipal } from '@app/sample-kit';
import { OrderFromCheckoutDto } from './dto/order-requests.dto';
import type { Order } from './order.model';
import { OrdersService } from './orders.service';

/**
 * Service-to-service route: the basket service turns a checkout into an order here, relaying
 * the user's own token, so an order can only ever be created for the token's subject.
 */
@Controller('api/v1/orders/internal')
@UseGuards(BearerAuthGuard)
export class InternalOrdersController {
  constructor(private readonly orders: OrdersService) {}

  /** 201 with the new order; 200 with the same order when the requestId was seen before. */
  @Post('from-checkout')
  fromCheckout(
    @CurrentPrincipal() user: Principal,
    @Body() body: OrderFromCheckoutDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Order {
    if (body.buyerId !== user.sub) throw new ForbiddenException('buyerId must be the caller');
    const { order, created } = this.orders.createFromCheckout(user.sub, body.requestId, body.checkout, body.items);
    reply.status(created ? 201 : 200);
    return order;
  }
}
