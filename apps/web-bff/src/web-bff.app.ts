import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { BffConfig } from '@app/config';
import { createBffApp } from '@app/platform';
import { WebBffModule } from './web-bff.module';

/** Builds web-bff without listening (tests listen on port 0). */
export function createWebBff(config: BffConfig): Promise<NestFastifyApplication> {
  // ETag/304 and Cache-Control on GETs; compression is left to the ingress in front of the SPA's BFF.
  return createBffApp(WebBffModule.forRoot(config), config, { conditionalGets: true });
}
