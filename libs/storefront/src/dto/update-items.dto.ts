import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsString, Length, Max, Min, ValidateNested } from 'class-validator';

export class BasketLineUpdateDto {
  @ApiProperty({ minLength: 1, maxLength: 64, description: 'The line’s id (items[].id of the basket)' })
  @IsString({ message: 'basketItemId must be a string' })
  @Length(1, 64, { message: 'basketItemId must be 1 to 64 characters' })
  basketItemId: string;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 99, description: '0 removes the line' })
  @IsInt({ message: 'quantity must be an integer' })
  @Min(0, { message: 'quantity must be between 0 and 99' })
  @Max(99, { message: 'quantity must be between 0 and 99' })
  quantity: number;
}

export class UpdateItemsDto {
  @ApiProperty({ type: [BasketLineUpdateDto], minItems: 1, maxItems: 100 })
  @IsArray({ message: 'updates must be an array' })
  @ArrayMinSize(1, { message: 'updates must hold at least one change' })
  @ArrayMaxSize(100, { message: 'updates holds at most 100 changes' })
  @ValidateNested({ each: true })
  @Type(() => BasketLineUpdateDto)
  updates: BasketLineUpdateDto[];
}
