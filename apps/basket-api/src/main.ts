import { intFromEnv, runSample, sampleAuthFromEnv, urlFromEnv } from '@app/sample-kit';
import { createBasketApp } from './basket.app';

runSample('basket-api', {
  defaultPort: 5103,
  // Properties are read in order, so the first bad variable is the one reported.
  create: () =>
    createBasketApp({
      auth: sampleAuthFromEnv(),
      orderingUrl: urlFromEnv('ORDERING_URL', 'http://localhost:5102'),
      orderingTimeoutMs: intFromEnv('ORDERING_TIMEOUT_MS', 5000, 1, 600_000),
      redisUrl: process.env.REDIS_URL?.trim() || undefined,
    }),
});
