import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Min } from 'class-validator';

/** Catalog filters every product list of every BFF accepts. */
export class CatalogFilterDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Only this brand' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'brandId must be an integer' })
  @Min(1, { message: 'brandId must be a positive integer' })
  brandId?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Only this type' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'typeId must be an integer' })
  @Min(1, { message: 'typeId must be a positive integer' })
  typeId?: number;
}

/** Filters plus a name-prefix search. */
export class CatalogSearchDto extends CatalogFilterDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100, description: 'Name prefix, case-insensitive' })
  @IsOptional()
  @IsString({ message: 'q must be a string' })
  @Length(1, 100, { message: 'q must be 1 to 100 characters' })
  q?: string;
}
