import { createCatalogApp } from './catalog.app';
import { ConfigError, intFromEnv, stringFromEnv, urlFromEnv } from './common/env';

async function main(): Promise<void> {
  const port = intFromEnv('PORT', 5101, 0, 65535);
  const host = stringFromEnv('HOST', '0.0.0.0');
  const pictureBaseUrl = urlFromEnv('PICTURE_BASE_URL', `http://localhost:${port}`); // trailing slash is trimmed by the factory

  const app = await createCatalogApp({ pictureBaseUrl });
  await app.listen(port, host);
  console.log(`catalog-api listening on http://localhost:${port}`);

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
