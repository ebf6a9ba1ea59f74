import { Controller, Get, Inject } from '@nestjs/common';
import type { JWK } from 'jose';
import { SigningKey } from '../keys/signing-key';
import { IDENTITY_OPTIONS, type IdentitySettings } from '../token/token.service';

@Controller('.well-known')
export class DiscoveryController {
  constructor(
    private readonly key: SigningKey,
    @Inject(IDENTITY_OPTIONS) private readonly settings: IdentitySettings,
  ) {}

  @Get('jwks.json')
  jwks(): { keys: JWK[] } {
    return { keys: [this.key.publicJwk] };
  }

  /** The endpoints are published under the issuer, as OpenID Connect Discovery expects. */
  @Get('openid-configuration')
  configuration(): Record<string, unknown> {
    const base = this.settings.issuer.replace(/\/+$/, '');
    return {
      issuer: this.settings.issuer,
      jwks_uri: `${base}/.well-known/jwks.json`,
      token_endpoint: `${base}/connect/token`,
      grant_types_supported: ['password'],
      token_endpoint_auth_methods_supported: ['none'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'profile', 'basket', 'orders'],
    };
  }
}
