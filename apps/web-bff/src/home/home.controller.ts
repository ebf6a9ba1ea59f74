import { Controller, Get, Query } from '@nestjs/common';
import { Auth } from '@app/platform';
import { CatalogPageQueryDto } from '../products/catalog-page-query.dto';
import { HomeComposer } from './home.composer';

@Controller('api/home')
@Auth('optional')
export class HomeController {
  constructor(private readonly composer: HomeComposer) {}

  @Get()
  home(@Query() query: CatalogPageQueryDto) {
    return this.composer.compose(query);
  }
}
