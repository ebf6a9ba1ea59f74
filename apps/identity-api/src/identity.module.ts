import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryController } from './discovery/discovery.controller';
import { SigningKey } from './keys/signing-key';
import { TokenController } from './token/token.controller';
import { IDENTITY_OPTIONS, TokenService, type IdentitySettings } from './token/token.service';

@Module({})
export class IdentityModule {
  /** The key is created before the module because creating it is async (key generation). */
  static forRoot(settings: IdentitySettings, key: SigningKey): DynamicModule {
    return {
      module: IdentityModule,
      controllers: [DiscoveryController, TokenController],
      providers: [{ provide: IDENTITY_OPTIONS, useValue: settings }, { provide: SigningKey, useValue: key }, TokenService],
    };
  }
}
