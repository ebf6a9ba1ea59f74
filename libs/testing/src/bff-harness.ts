import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadBffConfig, type BffConfig, type BffName } from '@app/config';
import { unwatchAnswers, watchAnswers } from './openapi-validator';

export interface RunningApp {
  url: string;
  app: NestFastifyApplication;
  close(): Promise<void>;
}

/** Starts a built-in-process app (BFF or sample service) on 127.0.0.1 with an OS-chosen port. */
export async function listen(app: NestFastifyApplication): Promise<RunningApp> {
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  watchAnswers(url, app); // answers of BFFs are checked against their OpenAPI document
  return { url, app, close: () => (unwatchAnswers(url), app.close()) };
}

/** Validated config for a BFF from explicit variables only (never the test runner's environment). */
export function testConfig(name: BffName, env: Record<string, string>): BffConfig {
  return loadBffConfig(name, { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...env });
}

export async function startBff(
  name: BffName,
  create: (config: BffConfig) => Promise<NestFastifyApplication>,
  env: Record<string, string>,
): Promise<RunningApp> {
  return listen(await create(testConfig(name, env)));
}

/** The run-contract variables pointing a BFF at downstream servers (one URL for all, or one each) and an identity. */
export function bffEnv(
  identity: { jwksUrl: string; issuer: string },
  downstreams: string | { catalog: string; basket: string; ordering: string },
  extra: Record<string, string> = {},
): Record<string, string> {
  const d = typeof downstreams === 'string' ? { catalog: downstreams, basket: downstreams, ordering: downstreams } : downstreams;
  return {
    CATALOG_URL: d.catalog,
    BASKET_URL: d.basket,
    ORDERING_URL: d.ordering,
    AUTH_JWKS_URL: identity.jwksUrl,
    AUTH_ISSUER: identity.issuer,
    ...extra,
  };
}
