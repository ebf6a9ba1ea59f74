import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { BasketCheckoutDto, BasketItemDto, IsBasketItemList } from '@app/sample-kit';

/** Body of POST /api/v1/orders/draft. */
export class OrderDraftRequestDto {
  @IsString()
  @IsNotEmpty()
  buyerId: string;

  @IsBasketItemList()
  items: BasketItemDto[];
}

/** Body of POST /api/v1/orders/internal/from-checkout (sent by the basket service). */
export class OrderFromCheckoutDto {
  /** The checkout's x-requestid: the same one twice must give the same order. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  requestId: string;

  @IsString()
  @IsNotEmpty()
  buyerId: string;

  @IsObject()
  @ValidateNested()
  @Type(() => BasketCheckoutDto)
  checkout: BasketCheckoutDto;

  @IsBasketItemList({ minSize: 1 })
  items: BasketItemDto[];
}

/** Body of PUT /api/v1/orders/cancel and /ship. */
export class OrderNumberDto {
  @IsInt()
  orderNumber: number;
}
