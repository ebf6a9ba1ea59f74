import { createIdentityApp } from './identity.app';
import { ConfigError, intFromEnv, stringFromEnv, urlFromEnv } from './common/env';

async function main(): Promise<void> {
  const port = intFromEnv('PORT', 5105, 0, 65535);
  const host = stringFromEnv('HOST', '0.0.0.0');
  const issuer = urlFromEnv('IDENTITY_ISSUER', `http://localhost:${port}`);
  const privateKeyPem = process.env.IDENTITY_PRIVATE_KEY?.trim() || undefined;

  let app;
  try {
    app = await createIdentityApp({ issuer, privateKeyPem });
  } catch (err) {
    if (privateKeyPem) throw new ConfigError(`IDENTITY_PRIVATE_KEY must be a PKCS#8 PEM RSA private key (${(err as Error).message})`);
    throw err;
  }
  await app.listen(port, host);
  console.log(`identity-api listening on http://localhost:${port}`);

  const shutdown = (): void => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? `Invalid configuration: ${err.message}` : err);
  process.exit(1);
});
