import { ConfigError, intFromEnv, runSample, sampleAuthFromEnv, stringFromEnv, urlFromEnv } from '@app/sample-kit';
import { createBasketApp } from './basket.app';
import { DEFAULT_ORDERING_TIMEOUT_MS } from './checkout/ordering.client';

runSample('basket-api', {
  defaultPort: 5103,
  // Properties are read in order, so the first bad variable is the one reported.
  create: () =>
    createBasketApp({
      auth: sampleAuthFromEnv(),
      orderingUrl: urlFromEnv('ORDERING_URL', 'http://localhost:5102'),
      orderingTimeoutMs: intFromEnv('ORDERING_TIMEOUT_MS', DEFAULT_ORDERING_TIMEOUT_MS, 1, 600_000),
      redisUrl: redisUrlFromEnv(),
      redisKeyPrefix: stringFromEnv('REDIS_KEY_PREFIX', ''),
    }),
});

/** REDIS_URL: unset or empty keeps baskets in memory; else a redis:// or rediss:// URL (not echoed: it may hold a password). */
function redisUrlFromEnv(): string | undefined {
  const value = stringFromEnv('REDIS_URL', '');
  if (!value) return undefined;
  if (!URL.canParse(value) || !['redis:', 'rediss:'].includes(new URL(value).protocol)) {
    throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL');
  }
  return value;
}
