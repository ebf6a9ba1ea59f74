import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { CatalogFilterDto, CatalogSearchDto } from '@app/storefront';

/** Paging and filters of /api/home. */
export class CatalogPageQueryDto extends CatalogFilterDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 100_000, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'pageIndex must be an integer' })
  @Min(0, { message: 'pageIndex must be 0 or more' })
  @Max(100_000, { message: 'pageIndex must be at most 100000' })
  pageIndex?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 50, default: 12 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'pageSize must be an integer' })
  @Min(1, { message: 'pageSize must be between 1 and 50' })
  @Max(50, { message: 'pageSize must be between 1 and 50' })
  pageSize?: number;
}

/** /api/products adds a name-prefix search. */
export class ProductsQueryDto extends IntersectionType(CatalogPageQueryDto, CatalogSearchDto) {}
