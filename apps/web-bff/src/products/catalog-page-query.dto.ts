import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { CatalogFilterDto } from '@app/storefront';

/** Paging and filters of /api/home. */
export class CatalogPageQueryDto extends CatalogFilterDto {
  @IsOptional() @Type(() => Number)
  @IsInt({ message: 'pageIndex must be an integer' }) @Min(0, { message: 'pageIndex must be 0 or more' })
  @Max(100_000, { message: 'pageIndex must be at most 100000' })
  pageIndex?: number;

  @IsOptional() @Type(() => Number)
  @IsInt({ message: 'pageSize must be an integer' })
  @Min(1, { message: 'pageSize must be between 1 and 50' }) @Max(50, { message: 'pageSize must be between 1 and 50' })
  pageSize?: number;
}

/** /api/products adds a name-prefix search. */
export class ProductsQueryDto extends CatalogPageQueryDto {
  @IsOptional() @IsString({ message: 'q must be a string' }) @Length(1, 100, { message: 'q must be 1 to 100 characters' })
  q?: string;
}
