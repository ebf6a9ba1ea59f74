import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { BffConfig } from '@app/config';
import { createBffApp } from '@app/platform';
import { MobileBffModule } from './mobile-bff.module';

/** Builds mobile-bff without listening (tests listen on port 0). */
export function createMobileBff(config: BffConfig): Promise<NestFastifyApplication> {
  // Slow links: conditional GETs (ETag/304) and compression are on for every answer.
  return createBffApp(MobileBffModule.forRoot(config), config, { conditionalGets: true, compression: true });
}
