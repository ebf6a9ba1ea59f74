import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsString, MaxLength, ValidateNested } from 'class-validator';
import { BasketItemDto } from './basket-item.dto';

/** Body of POST /api/v1/basket: the whole basket, replacing the stored one. */
export class CustomerBasketDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  buyerId: string;

  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => BasketItemDto)
  items: BasketItemDto[];
}
