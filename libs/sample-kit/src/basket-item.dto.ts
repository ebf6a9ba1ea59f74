import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsString,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type { BasketItem } from '@app/contracts';

/** CONTRACTS.md §1 BasketItem, as the basket service stores it and the ordering service receives it. */
export class BasketItemDto implements BasketItem {
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

/** A body property holding `BasketItem[]` (at most 500), each item validated as a BasketItemDto. */
export function IsBasketItemList(options: { minSize?: number } = {}): PropertyDecorator {
  // Listed bottom-up, the order stacked decorators register in, so error details keep their order.
  const decorators: PropertyDecorator[] = [Type(() => BasketItemDto), ValidateNested({ each: true }), ArrayMaxSize(500)];
  if (options.minSize !== undefined) decorators.push(ArrayMinSize(options.minSize));
  decorators.push(IsArray());
  return applyDecorators(...decorators);
}
