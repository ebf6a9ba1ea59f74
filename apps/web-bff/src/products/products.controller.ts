import { Controller, Get, Param, Query } from '@nestjs/common';
import { Auth } from '@app/platform';
import { PositiveIntPipe } from '@app/storefront';
import { ProductsQueryDto } from './catalog-page-query.dto';
import { ProductsComposer } from './products.composer';

@Controller('api/products')
@Auth('optional')
export class ProductsController {
  constructor(private readonly composer: ProductsComposer) {}

  @Get()
  list(@Query() query: ProductsQueryDto) {
    return this.composer.list(query);
  }

  @Get(':id')
  one(@Param('id', PositiveIntPipe) id: number) {
    return this.composer.one(id);
  }
}
