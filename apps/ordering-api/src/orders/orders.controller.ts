import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Put,
  UseGuards,
  BadRequestException,
} from '@nestjs/common';
import type { Principal } from '@app/auth';
import { BearerAuthGuard, CurrentPrincipal } from '@app/sample-kit';
import { OrderDraftRequestDto, OrderNumberDto } from './dto/order-requests.dto';
import { CARD_TYPES, type CardType, type Order, type OrderDraft, type OrderSummary } from './order.model';
import { OrdersService } from './orders.service';
import { requireRequestId } from './request-id';

/** The public ordering routes of CONTRACTS.md §1; every one acts for the token's subject only. */
@Controller('api/v1/orders')
@UseGuards(BearerAuthGuard)
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get()
  list(@CurrentPrincipal() user: Principal): OrderSummary[] {
    return this.orders.list(user.sub);
  }

  @Get('cardtypes')
  cardTypes(): CardType[] {
    return CARD_TYPES.map((c) => ({ ...c }));
  }

  @Put('cancel')
  @HttpCode(200)
  cancel(@CurrentPrincipal() user: Principal, @Body() body: OrderNumberDto, @Headers('x-requestid') requestId: string | undefined): Order {
    return this.orders.cancel(user.sub, body.orderNumber, requireRequestId(requestId));
  }

  @Put('ship')
  @HttpCode(200)
  ship(@CurrentPrincipal() user: Principal, @Body() body: OrderNumberDto, @Headers('x-requestid') requestId: string | undefined): Order {
    return this.orders.ship(user.sub, body.orderNumber, requireRequestId(requestId));
  }

  @Post('draft')
  @HttpCode(200)
  draft(@CurrentPrincipal() user: Principal, @Body() body: OrderDraftRequestDto): OrderDraft {
    if (body.buyerId !== user.sub) throw new ForbiddenException('buyerId must be the caller');
    return this.orders.draft(body.items);
  }

  @Get(':orderNumber')
  get(@CurrentPrincipal() user: Principal, @Param('orderNumber') orderNumber: string): Order {
    if (!/^\d{1,15}$/.test(orderNumber)) throw new BadRequestException('orderNumber must be an integer');
    return this.orders.get(user.sub, Number(orderNumber));
  }
}
