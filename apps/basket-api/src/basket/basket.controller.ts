import { Body, Controller, Delete, ForbiddenException, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import type { Principal } from '@app/auth';
import type { CustomerBasket } from '@app/contracts';
import { BearerAuthGuard, CurrentPrincipal } from '@app/sample-kit';
import { BASKET_STORE, type BasketStore } from './basket.store';
import { CustomerBasketDto } from './dto/customer-basket.dto';

/** The basket id is the token's subject: any other buyerId is refused with 403. */
@Controller('api/v1/basket')
@UseGuards(BearerAuthGuard)
export class BasketController {
  constructor(@Inject(BASKET_STORE) private readonly store: BasketStore) {}

  @Get(':buyerId')
  async get(@CurrentPrincipal() user: Principal, @Param('buyerId') buyerId: string): Promise<CustomerBasket> {
    assertOwner(user, buyerId);
    return (await this.store.get(buyerId)) ?? { buyerId, items: [] };
  }

  @Post()
  @HttpCode(200)
  async update(@CurrentPrincipal() user: Principal, @Body() body: CustomerBasketDto): Promise<CustomerBasket> {
    assertOwner(user, body.buyerId);
    // Rebuilt field by field: what is stored is exactly the contract's shape, nothing more.
    return this.store.save({
      buyerId: body.buyerId,
      items: body.items.map((i) => ({
        id: i.id,
        productId: i.productId,
        productName: i.productName,
        unitPrice: i.unitPrice,
        oldUnitPrice: i.oldUnitPrice,
        quantity: i.quantity,
        pictureUrl: i.pictureUrl,
      })),
    });
  }

  @Delete(':buyerId')
  @HttpCode(204)
  async delete(@CurrentPrincipal() user: Principal, @Param('buyerId') buyerId: string): Promise<void> {
    assertOwner(user, buyerId);
    await this.store.delete(buyerId);
  }
}

function assertOwner(user: Principal, buyerId: string): void {
  if (buyerId !== user.sub) throw new ForbiddenException('A buyer can only use their own basket');
}
