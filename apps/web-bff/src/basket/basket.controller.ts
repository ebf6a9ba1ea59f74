import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { Auth, currentBuyerId } from '@app/platform';
import { AddItemDto, BasketService, UpdateItemsDto } from '@app/storefront';
import { toWebBasket, type WebBasket } from './web-basket';

/** The SPA's basket: every answer is the whole priced basket, so the page re-renders from one response. */
@Controller('api/basket')
@Auth('required')
export class BasketController {
  constructor(private readonly basket: BasketService) {}

  @Get()
  async get(): Promise<WebBasket> {
    return toWebBasket(await this.basket.load(currentBuyerId()));
  }

  @Post('items')
  @HttpCode(200)
  async add(@Body() body: AddItemDto): Promise<WebBasket> {
    return toWebBasket(await this.basket.addItem(currentBuyerId(), body.productId, body.quantity ?? 1));
  }

  @Put('items')
  async update(@Body() body: UpdateItemsDto): Promise<WebBasket> {
    return toWebBasket(await this.basket.updateQuantities(currentBuyerId(), body.updates));
  }

  @Delete('items/:basketItemId')
  async remove(@Param('basketItemId') basketItemId: string): Promise<WebBasket> {
    return toWebBasket(await this.basket.removeLine(currentBuyerId(), basketItemId));
  }
}
