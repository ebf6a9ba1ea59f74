import { Controller, Get } from '@nestjs/common';
import { Auth } from '@app/platform';
import { HomeComposer } from './home.composer';

@Controller('api/home')
@Auth('optional')
export class HomeController {
  constructor(private readonly composer: HomeComposer) {}

  @Get()
  home() {
    return this.composer.compose();
  }
}
