import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { LRUCache } from 'lru-cache';

/** Shared (not per-user) downstream answers, keyed by request path. */
export interface ResponseCache {
  get(key: string): Promise<unknown> | unknown;
  set(key: string, value: unknown, ttlMs: number): void;
  /** When an entry stops being served (epoch ms); undefined when unknown (the answer cache is then off). */
  expiresAt?(key: string): number | undefined;
  close(): Promise<void>;
}

/** Default: bounded in-process LRU with a TTL per entry. */
export class MemoryResponseCache implements ResponseCache {
  private readonly lru: LRUCache<string, { v: unknown }>;

  constructor(maxEntries = 5000) {
    this.lru = new LRUCache({ max: maxEntries, ttlAutopurge: false });
  }

  get(key: string): unknown {
    return this.lru.get(key)?.v;
  }

  set(key: string, value: unknown, ttlMs: number): void {
    this.lru.set(key, { v: value }, { ttl: ttlMs });
  }

  expiresAt(key: string): number | undefined {
    const left = this.lru.getRemainingTTL(key);
    return left > 0 && Number.isFinite(left) ? Date.now() + left : undefined;
  }

  async close(): Promise<void> {
    this.lru.clear();
  }
}

/**
 * REDIS_URL: one cache for every replica. A Redis failure is a miss (the downstream is asked) and is
 * logged once per outage, never an error for the client.
 */
export class RedisResponseCache implements ResponseCache {
  private readonly redis: Redis;
  private readonly logger = new Logger('ResponseCache');
  private down = false;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    // Loaded only with REDIS_URL: an in-process cache never holds ioredis in its heap.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose
    const { Redis: Client } = require('ioredis') as typeof import('ioredis');
    this.redis = new Client(url, {
      maxRetriesPerRequest: 1,
      connectTimeout: 1000,
      commandTimeout: 200,
      enableOfflineQueue: false,
      lazyConnect: false,
      // ioredis' default 2 s disconnect timer would outlive close() while Redis is down.
      disconnectTimeout: 500,
    });
    this.redis.on('error', () => this.outage());
    this.redis.on('ready', () => {
      if (this.down) this.logger.log('Redis is back: shared response cache in use again');
      this.down = false;
    });
  }

  async get(key: string): Promise<unknown> {
    try {
      const text = await this.redis.get(this.prefix + key);
      return text === null ? undefined : JSON.parse(text);
    } catch {
      this.outage();
      return undefined;
    }
  }

  set(key: string, value: unknown, ttlMs: number): void {
    this.redis.set(this.prefix + key, JSON.stringify(value), 'PX', ttlMs).catch(() => this.outage());
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private outage(): void {
    if (!this.down) this.logger.warn('Redis unavailable: shared reads go to the downstream until it is back');
    this.down = true;
  }
}
