import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { BffConfig } from '@app/config';
import { registerBffGateway } from '@app/gateway';
import { createBffApp } from '@app/platform';
import { MOBILE_GATEWAY_ROUTES } from './gateway/mobile-routes';
import { MobileBffModule } from './mobile-bff.module';

/** Builds mobile-bff without listening (tests listen on port 0). */
export async function createMobileBff(config: BffConfig): Promise<NestFastifyApplication> {
  // Slow links: conditional GETs (ETag/304) and compression are on for every answer.
  const app = await createBffApp(MobileBffModule.forRoot(config), config, { conditionalGets: true, compression: true });
  registerBffGateway(app, config, MOBILE_GATEWAY_ROUTES);
  return app;
}
