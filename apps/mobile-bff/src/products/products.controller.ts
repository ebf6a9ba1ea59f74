import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiProblems, ApiSparseFieldsets, Auth } from '@app/platform';
import { ApiPositiveIntParam, parseFields, PositiveIntPipe } from '@app/storefront';
import { MOBILE_DETAIL_FIELDS, MOBILE_PRODUCT_FIELDS, MobileProductDetail, MobileProductPage } from './mobile-product';
import { FieldsDto, ProductsQueryDto } from './products-query.dto';
import { ProductsComposer } from './products.composer';

@ApiTags('products')
@Controller('api/products')
@Auth('optional')
export class ProductsController {
  constructor(private readonly composer: ProductsComposer) {}

  @Get()
  @ApiOperation({ summary: 'A cursor page of products in name order, filtered by brand/type or searched by name prefix (q)' })
  @ApiAnswer(MobileProductPage)
  @ApiSparseFieldsets()
  list(@Query() q: ProductsQueryDto): Promise<MobileProductPage> {
    const fields = parseFields(q.fields, MOBILE_PRODUCT_FIELDS);
    return this.composer.list({ brandId: q.brandId, typeId: q.typeId, q: q.q }, q.cursor, q.limit, fields);
  }

  @Get(':id')
  @ApiOperation({ summary: 'The product page and (signed in) how many of it the basket holds' })
  @ApiPositiveIntParam('id')
  @ApiAnswer(MobileProductDetail)
  @ApiSparseFieldsets()
  @ApiProblems({ 404: 'There is no product with this id' })
  one(@Param('id', PositiveIntPipe) id: number, @Query() q: FieldsDto) {
    return this.composer.one(id, parseFields(q.fields, MOBILE_DETAIL_FIELDS));
  }
}
