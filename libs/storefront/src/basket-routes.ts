import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, type Type } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiProblems, Auth, currentBuyerId } from '@app/platform';
import { BasketService } from './basket.service';
import { AddItemDto } from './dto/add-item.dto';
import { UpdateItemsDto } from './dto/update-items.dto';
import type { PricedBasket } from './priced-basket';

/**
 * The basket routes, identical for every client but for the shape of the answer: each BFF passes its
 * own view class and function, so the routes, auth, validation and their documentation exist once.
 */
export function BasketRoutes<View>(view: Type<View>, toView: (basket: PricedBasket) => View): Type<unknown> {
  @ApiTags('basket')
  @Controller('api/basket')
  @Auth('required')
  class BasketController {
    constructor(readonly basket: BasketService) {}

    @Get()
    @ApiOperation({ summary: 'The caller’s basket at the catalog’s current prices (stored prices stand when the catalog part degraded)' })
    @ApiAnswer(view)
    async get(): Promise<View> {
      return toView(await this.basket.load(currentBuyerId()));
    }

    @Post('items')
    @HttpCode(200)
    @ApiOperation({ summary: 'Adds a product (or more of it) at the catalog’s price' })
    @ApiAnswer(view)
    @ApiProblems({
      422: 'There is no such product, fewer than the line’s resulting quantity are in stock (availableStock), or the line would exceed 99 units',
    })
    async add(@Body() body: AddItemDto): Promise<View> {
      return toView(await this.basket.addItem(currentBuyerId(), body.productId, body.quantity ?? 1));
    }

    @Put('items')
    @ApiOperation({ summary: 'Sets line quantities (0 removes the line); all or nothing' })
    @ApiAnswer(view)
    @ApiProblems({ 422: 'The basket has no line with a given basketItemId, or fewer than a raised quantity are in stock' })
    async update(@Body() body: UpdateItemsDto): Promise<View> {
      return toView(await this.basket.updateQuantities(currentBuyerId(), body.updates));
    }

    @Delete('items/:basketItemId')
    @ApiOperation({ summary: 'Removes a line' })
    @ApiParam({ name: 'basketItemId', required: true, schema: { type: 'string', minLength: 1 } })
    @ApiAnswer(view)
    @ApiProblems({ 404: 'The basket has no such line' })
    async remove(@Param('basketItemId') basketItemId: string): Promise<View> {
      return toView(await this.basket.removeLine(currentBuyerId(), basketItemId));
    }
  }
  return BasketController;
}
