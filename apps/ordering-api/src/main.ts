import { createOrderingApp } from './ordering.app';
import { ConfigError, intFromEnv, stringFromEnv, urlFromEnv } from './common/env';

async function main(): Promise<void> {
  const port = intFromEnv('PORT', 5102, 0, 65535);
  const host = stringFromEnv('HOST', '0.0.0.0');
  const jwksUrl = urlFromEnv('AUTH_JWKS_URL', 'http://localhost:5105/.well-known/jwks.json');
  const issuer = stringFromEnv('AUTH_ISSUER', 'http://localhost:5105');

  const app = await createOrderingApp({ auth: { jwksUrl, issuer } });
  await app.listen(port, host);
  console.log(`ordering-api listening on http://localhost:${port}`);

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
