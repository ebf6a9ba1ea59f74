import { IsInt, IsNotEmpty, IsNumber, IsString, MaxLength, Min } from 'class-validator';

/** CONTRACTS.md §1 BasketItem, as the basket service stores it. */
export class BasketItemDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  id: string;

  @IsInt()
  productId: number;

  @IsString()
  @MaxLength(500)
  productName: string;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  unitPrice: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  oldUnitPrice: number;

  @IsInt()
  @Min(1)
  quantity: number;

  @IsString()
  @MaxLength(2000)
  pictureUrl: string;
}
