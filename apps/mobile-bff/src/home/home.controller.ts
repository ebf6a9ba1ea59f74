import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, Auth } from '@app/platform';
import { HomeComposer } from './home.composer';
import { MobileHome } from './mobile-home';

@ApiTags('home')
@Controller('api/home')
@Auth('optional')
export class HomeController {
  constructor(private readonly composer: HomeComposer) {}

  @Get()
  @ApiOperation({ summary: 'The first screen: featured products, brand chips and (signed in) the basket badge' })
  @ApiAnswer(MobileHome)
  home(): Promise<MobileHome> {
    return this.composer.compose();
  }
}
