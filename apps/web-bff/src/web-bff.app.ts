import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { BffConfig } from '@app/config';
import { createBffApp } from '@app/platform';
import { WebBffModule } from './web-bff.module';

/** Builds web-bff without listening (tests listen on port 0). */
export function createWebBff(config: BffConfig): Promise<NestFastifyApplication> {
  return createBffApp(WebBffModule.forRoot(config), config);
}
