import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsString, Length, Max, Min, ValidateNested } from 'class-validator';

export class BasketLineUpdateDto {
  @IsString({ message: 'basketItemId must be a string' })
  @Length(1, 64, { message: 'basketItemId must be 1 to 64 characters' })
  basketItemId: string;

  @IsInt({ message: 'quantity must be an integer' })
  @Min(0, { message: 'quantity must be between 0 and 99' })
  @Max(99, { message: 'quantity must be between 0 and 99' })
  quantity: number;
}

export class UpdateItemsDto {
  @IsArray({ message: 'updates must be an array' })
  @ArrayMinSize(1, { message: 'updates must hold at least one change' })
  @ArrayMaxSize(100, { message: 'updates holds at most 100 changes' })
  @ValidateNested({ each: true })
  @Type(() => BasketLineUpdateDto)
  updates: BasketLineUpdateDto[];
}
