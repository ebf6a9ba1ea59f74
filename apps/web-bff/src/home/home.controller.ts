import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, Auth } from '@app/platform';
import { CatalogPageQueryDto } from '../products/catalog-page-query.dto';
import { HomeComposer } from './home.composer';
import { WebHome } from './web-home';

@ApiTags('home')
@Controller('api/home')
@Auth('optional')
export class HomeController {
  constructor(private readonly composer: HomeComposer) {}

  @Get()
  @ApiOperation({ summary: 'The landing page: a catalog page, brands, types and (signed in) the basket summary' })
  @ApiAnswer(WebHome)
  home(@Query() query: CatalogPageQueryDto): Promise<WebHome> {
    return this.composer.compose(query);
  }
}
