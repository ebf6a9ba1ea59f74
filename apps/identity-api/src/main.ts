import { ConfigError, runSample, stringFromEnv, urlFromEnv } from '@app/sample-kit';
import { createIdentityApp } from './identity.app';

runSample('identity-api', {
  defaultPort: 5105,
  async create(port) {
    const issuer = urlFromEnv('IDENTITY_ISSUER', `http://localhost:${port}`);
    const corsOrigins = stringFromEnv('IDENTITY_CORS_ORIGINS', 'http://localhost:3000')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    const privateKeyPem = process.env.IDENTITY_PRIVATE_KEY?.trim() || undefined;
    try {
      return await createIdentityApp({ issuer, privateKeyPem, corsOrigins });
    } catch (err) {
      if (privateKeyPem) throw new ConfigError(`IDENTITY_PRIVATE_KEY must be a PKCS#8 PEM RSA private key (${(err as Error).message})`);
      throw err;
    }
  },
});
