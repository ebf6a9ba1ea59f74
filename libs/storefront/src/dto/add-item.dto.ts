import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class AddItemDto {
  @IsInt({ message: 'productId must be an integer' })
  @Min(1, { message: 'productId must be a positive integer' })
  productId: number;

  @IsOptional()
  @IsInt({ message: 'quantity must be an integer' })
  @Min(1, { message: 'quantity must be between 1 and 99' })
  @Max(99, { message: 'quantity must be between 1 and 99' })
  quantity?: number;
}
