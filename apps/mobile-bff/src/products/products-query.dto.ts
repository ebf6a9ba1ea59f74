import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { CatalogSearchDto } from '@app/storefront';

/** Cursor paging, shared by the product and order lists. */
export class CursorPageDto {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 512,
    description: 'nextCursor of the previous page; only cursors this BFF issued for the same query are accepted (else 400)',
  })
  @IsOptional()
  @IsString({ message: 'cursor must be a string' })
  @Length(1, 512, { message: 'cursor is not valid for this query' })
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 50, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be between 1 and 50' })
  @Max(50, { message: 'limit must be between 1 and 50' })
  limit?: number;
}

/** `fields=id,name,price`: a sparse fieldset. */
export class FieldsDto {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    description: 'Sparse fieldset: comma-separated property names; the answer’s items hold only these',
  })
  @IsOptional()
  @IsString({ message: 'fields must be a comma-separated list' })
  @Length(1, 200, { message: 'fields must be 1 to 200 characters' })
  fields?: string;
}

export class ProductsQueryDto extends IntersectionType(CatalogSearchDto, CursorPageDto, FieldsDto) {}
