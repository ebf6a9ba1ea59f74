import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, type Type } from '@nestjs/common';
import { Auth, currentBuyerId } from '@app/platform';
import { BasketService } from './basket.service';
import { AddItemDto } from './dto/add-item.dto';
import { UpdateItemsDto } from './dto/update-items.dto';
import type { PricedBasket } from './priced-basket';

/**
 * The basket routes, identical for every client but for the shape of the answer: each BFF passes its
 * own view function, so the routes, auth and validation exist once.
 */
export function BasketRoutes<View>(toView: (basket: PricedBasket) => View): Type<unknown> {
  @Controller('api/basket')
  @Auth('required')
  class BasketController {
    constructor(readonly basket: BasketService) {}

    @Get()
    async get(): Promise<View> {
      return toView(await this.basket.load(currentBuyerId()));
    }

    @Post('items')
    @HttpCode(200)
    async add(@Body() body: AddItemDto): Promise<View> {
      return toView(await this.basket.addItem(currentBuyerId(), body.productId, body.quantity ?? 1));
    }

    @Put('items')
    async update(@Body() body: UpdateItemsDto): Promise<View> {
      return toView(await this.basket.updateQuantities(currentBuyerId(), body.updates));
    }

    @Delete('items/:basketItemId')
    async remove(@Param('basketItemId') basketItemId: string): Promise<View> {
      return toView(await this.basket.removeLine(currentBuyerId(), basketItemId));
    }
  }
  return BasketController;
}
