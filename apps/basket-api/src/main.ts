import { createBasketApp } from './basket.app';
import { ConfigError, intFromEnv, stringFromEnv, urlFromEnv } from './common/env';

async function main(): Promise<void> {
  const port = intFromEnv('PORT', 5103, 0, 65535);
  const host = stringFromEnv('HOST', '0.0.0.0');
  const jwksUrl = urlFromEnv('AUTH_JWKS_URL', 'http://localhost:5105/.well-known/jwks.json');
  const issuer = stringFromEnv('AUTH_ISSUER', 'http://localhost:5105');
  const orderingUrl = urlFromEnv('ORDERING_URL', 'http://localhost:5102');
  const orderingTimeoutMs = intFromEnv('ORDERING_TIMEOUT_MS', 5000, 1, 600_000);
  const redisUrl = process.env.REDIS_URL?.trim() || undefined;

  const app = await createBasketApp({ auth: { jwksUrl, issuer }, orderingUrl, orderingTimeoutMs, redisUrl });
  await app.listen(port, host);
  console.log(`basket-api listening on http://localhost:${port}`);

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
