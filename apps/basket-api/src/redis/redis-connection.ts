import { Logger, ServiceUnavailableException } from '@nestjs/common';
import { Redis } from 'ioredis';

const logger = new Logger('Redis');

/** Every command, also one queued while Redis is down or unreachable, fails within this limit instead of hanging a request. */
export const REDIS_COMMAND_TIMEOUT_MS = 2000;

/**
 * The one connection the basket stores share, opened at once. Commands sent while it
 * (re)connects wait in the offline queue, but each gives up after one failed reconnection or
 * REDIS_COMMAND_TIMEOUT_MS, whichever comes first; reconnection itself goes on in the background.
 */
export function connectRedis(url: string): Redis {
  const redis = new Redis(url, {
    connectionName: 'basket-api',
    lazyConnect: false,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    connectTimeout: REDIS_COMMAND_TIMEOUT_MS,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    // Closing while Redis is down arms a timer of this length on the dead socket (default 2 s),
    // which would hold the process (and jest) open after shutdown.
    disconnectTimeout: 500,
  });
  // Once per outage, not once per reconnection attempt.
  let reachable = true;
  redis.on('error', (err: Error) => {
    if (!reachable) return;
    reachable = false;
    logger.warn(`Redis is unavailable (${err.message}); basket requests answer 503 until it is back`);
  });
  redis.on('ready', () => {
    if (reachable) return;
    reachable = true;
    logger.log('Redis is available again');
  });
  return redis;
}

/** Closes politely (QUIT), or at once when Redis cannot answer. */
export async function closeRedis(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}

const FAILURE_LOG_INTERVAL_MS = 10_000;
let lastFailureLoggedAt = -Infinity;

/** Awaits a store's Redis command: a failure becomes a 503 for the client (details only in the log, at most every 10 s). */
export async function storeCommand<T>(command: Promise<T>): Promise<T> {
  try {
    return await command;
  } catch (err) {
    if (Date.now() - lastFailureLoggedAt >= FAILURE_LOG_INTERVAL_MS) {
      lastFailureLoggedAt = Date.now();
      logger.warn(`Redis command failed: ${(err as Error).message}`);
    }
    throw new ServiceUnavailableException('The basket store is unavailable');
  }
}
