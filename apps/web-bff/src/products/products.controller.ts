import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiProblems, Auth } from '@app/platform';
import { ApiPositiveIntParam, PositiveIntPipe } from '@app/storefront';
import { ProductsQueryDto } from './catalog-page-query.dto';
import { ProductsComposer } from './products.composer';
import { WebProductDetail, WebProductPage } from './web-product-page';

@ApiTags('products')
@Controller('api/products')
@Auth('optional')
export class ProductsController {
  constructor(private readonly composer: ProductsComposer) {}

  @Get()
  @ApiOperation({ summary: 'A catalog page, filtered by brand and/or type, or searched by name prefix (q)' })
  @ApiAnswer(WebProductPage)
  list(@Query() query: ProductsQueryDto): Promise<WebProductPage> {
    return this.composer.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One product and (signed in) how many of it the basket holds' })
  @ApiPositiveIntParam('id')
  @ApiAnswer(WebProductDetail)
  @ApiProblems({ 404: 'There is no product with this id' })
  one(@Param('id', PositiveIntPipe) id: number): Promise<WebProductDetail> {
    return this.composer.one(id);
  }
}
