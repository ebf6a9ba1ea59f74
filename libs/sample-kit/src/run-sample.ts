import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigError, intFromEnv, stringFromEnv } from './env';

export interface RunSampleOptions {
  /** Port when PORT is unset. */
  defaultPort: number;
  /** Builds the app; gets the port because some defaults derive from it. May throw ConfigError. */
  create(port: number): Promise<NestFastifyApplication>;
}

/**
 * The process entry point of a sample service: reads PORT and HOST, listens, closes cleanly on
 * SIGTERM/SIGINT, and exits 1 with the variable's name on bad configuration.
 */
export function runSample(name: string, options: RunSampleOptions): void {
  start(name, options).catch((err: unknown) => {
    console.error(err instanceof ConfigError ? `Invalid configuration: ${err.message}` : err);
    process.exit(1);
  });
}

async function start(name: string, { defaultPort, create }: RunSampleOptions): Promise<void> {
  const port = intFromEnv('PORT', defaultPort, 0, 65535);
  const host = stringFromEnv('HOST', '0.0.0.0');
  const app = await create(port);
  // Liveness for container HEALTHCHECKs and orchestrators, like the BFFs' (no downstream checks).
  app
    .getHttpAdapter()
    .getInstance()
    .get('/health/live', (_req, reply) => {
      void reply.send({ status: 'ok' });
    });
  await app.listen(port, host);
  console.log(`${name} listening on http://localhost:${port}`);

  const shutdown = (): void => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
