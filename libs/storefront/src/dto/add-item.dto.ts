import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class AddItemDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'A catalog item id' })
  @IsInt({ message: 'productId must be an integer' })
  @Min(1, { message: 'productId must be a positive integer' })
  productId: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 99, default: 1, description: 'Units to add (the line holds at most 99)' })
  @IsOptional()
  @IsInt({ message: 'quantity must be an integer' })
  @Min(1, { message: 'quantity must be between 1 and 99' })
  @Max(99, { message: 'quantity must be between 1 and 99' })
  quantity?: number;
}
