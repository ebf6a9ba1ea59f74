import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

// Test helpers for basket-api's specs; nothing in the app imports them.

/** The Redis the specs run against (CI starts one there). */
export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/** A loopback URL nothing listens at (a port bound, then released), e.g. for ordering-api or Redis being down. */
export const unreachableUrl = (protocol: 'http' | 'redis') =>
  new Promise<string>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(`${protocol}://127.0.0.1:${port}`));
    });
  });

/** One spec's share of the test Redis: its own connection and a key prefix no other run uses. */
export interface RedisTestNamespace {
  redis: Redis;
  /** `test:<uuid>:`; every key the spec writes starts with it. */
  keyPrefix: string;
  /** The keys under the prefix now. */
  keys(): Promise<string[]>;
  /** Deletes every key under the prefix, then closes the connection. */
  close(): Promise<void>;
}

export function openRedisTestNamespace(): RedisTestNamespace {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
  const keyPrefix = `test:${randomUUID()}:`;
  const keys = async (): Promise<string[]> => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      found.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return found;
  };
  return {
    redis,
    keyPrefix,
    keys,
    close: async () => {
      const left = await keys();
      if (left.length > 0) await redis.del(...left);
      await redis.quit();
    },
  };
}
