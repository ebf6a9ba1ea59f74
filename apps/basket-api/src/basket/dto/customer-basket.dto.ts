import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { BasketItemDto, IsBasketItemList } from '@app/sample-kit';

/** Body of POST /api/v1/basket: the whole basket, replacing the stored one. */
export class CustomerBasketDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  buyerId: string;

  @IsBasketItemList()
  items: BasketItemDto[];
}
