import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { BffConfig } from '@app/config';
import { registerBffGateway } from '@app/gateway';
import { createBffApp } from '@app/platform';
import { WEB_GATEWAY_ROUTES } from './gateway/web-routes';
import { WebBffModule } from './web-bff.module';

/** Builds web-bff without listening (tests listen on port 0). */
export async function createWebBff(config: BffConfig): Promise<NestFastifyApplication> {
  // ETag/304 and Cache-Control on GETs; compression is left to the ingress in front of the SPA's BFF.
  const app = await createBffApp(WebBffModule.forRoot(config), config, { conditionalGets: true });
  registerBffGateway(app, config, WEB_GATEWAY_ROUTES);
  return app;
}
