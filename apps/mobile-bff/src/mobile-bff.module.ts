import { Module, type DynamicModule } from '@nestjs/common';
import type { BffConfig } from '@app/config';
import { BffPlatformModule } from '@app/platform';
import { StorefrontModule } from '@app/storefront';

/** mobile-bff: the mobile app's endpoints (next issue); shares the platform and storefront use-cases. */
@Module({})
export class MobileBffModule {
  static forRoot(config: BffConfig): DynamicModule {
    return { module: MobileBffModule, imports: [BffPlatformModule.forRoot(config), StorefrontModule] };
  }
}
