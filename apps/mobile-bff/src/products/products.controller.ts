import { Controller, Get, Param, Query } from '@nestjs/common';
import { Auth } from '@app/platform';
import { parseFields, PositiveIntPipe } from '@app/storefront';
import { MOBILE_DETAIL_FIELDS, MOBILE_PRODUCT_FIELDS } from './mobile-product';
import { FieldsDto, ProductsQueryDto } from './products-query.dto';
import { ProductsComposer } from './products.composer';

@Controller('api/products')
@Auth('optional')
export class ProductsController {
  constructor(private readonly composer: ProductsComposer) {}

  @Get()
  list(@Query() q: ProductsQueryDto) {
    const fields = parseFields(q.fields, MOBILE_PRODUCT_FIELDS);
    return this.composer.list({ brandId: q.brandId, typeId: q.typeId, q: q.q }, q.cursor, q.limit, fields);
  }

  @Get(':id')
  one(@Param('id', PositiveIntPipe) id: number, @Query() q: FieldsDto) {
    return this.composer.one(id, parseFields(q.fields, MOBILE_DETAIL_FIELDS));
  }
}
