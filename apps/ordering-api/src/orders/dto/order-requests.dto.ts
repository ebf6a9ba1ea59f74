import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsNotEmpty, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { BasketCheckoutDto } from './basket-checkout.dto';
import { BasketItemDto } from './basket-item.dto';

/** Body of POST /api/v1/orders/draft. */
export class OrderDraftRequestDto {
  @IsString()
  @IsNotEmpty()
  buyerId: string;

  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => BasketItemDto)
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

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => BasketItemDto)
  items: BasketItemDto[];
}

/** Body of PUT /api/v1/orders/cancel and /ship. */
export class OrderNumberDto {
  @IsInt()
  orderNumber: number;
}
