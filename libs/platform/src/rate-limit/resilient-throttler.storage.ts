import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { FixedWindowThrottlerStorage } from './fixed-window.storage';
import type { Redis } from 'ioredis';
import type { RateLimitCounters } from './rate-limit.counters';
import type { RateLimitSettings } from './rate-limit.settings';

type State = 'starting' | 'up' | 'down';
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Counts in Redis (shared by every replica) and, whenever Redis cannot answer a call, in process
 * memory for that call instead: a Redis outage weakens the limit to "per replica", it never fails
 * or slows a request. Each outage is logged once when it starts and once when it ends.
 *
 * While Redis is down, calls go straight to memory (no connection attempt, no timeout on the
 * request path); ioredis reconnects in the background, and when a connection is up but commands
 * time out, one call per `probeIntervalMs` tries Redis again.
 */
export class ResilientThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private state: State = 'starting';
  private probeAt = 0;
  private probing = false;
  private closing: Promise<void> | undefined;

  constructor(
    readonly redis: Redis,
    private readonly remote: ThrottlerStorage,
    private readonly local: FixedWindowThrottlerStorage,
    private readonly counters: RateLimitCounters,
    private readonly probeIntervalMs: number,
  ) {
    redis.on('ready', () => this.markUp());
    redis.on('error', (err: Error) => this.markDown(err.message));
    redis.on('close', () => this.markDown('connection closed'));
  }

  /** One ioredis client with short limits; commands never queue while it is disconnected. */
  static connect(settings: RateLimitSettings, counters: RateLimitCounters): ResilientThrottlerStorage {
    // Loaded only with REDIS_URL: a BFF counting in memory never holds ioredis in its heap.
    /* eslint-disable @typescript-eslint/no-require-imports -- lazy on purpose */
    const { Redis } = require('ioredis') as typeof import('ioredis');
    const { ThrottlerStorageRedisService } =
      require('@nest-lab/throttler-storage-redis') as typeof import('@nest-lab/throttler-storage-redis');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const redis = new Redis(settings.redisUrl as string, {
      connectionName: `${settings.app}-rate-limit`,
      lazyConnect: false,
      // Fail at once instead of waiting for a reconnection: the local counter answers instead.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: settings.redis.connectTimeoutMs,
      commandTimeout: settings.redis.commandTimeoutMs,
      // Closing while Redis is down arms a timer of this length on the dead socket (default 2 s).
      disconnectTimeout: 500,
      // Reconnect in the background, at least once a second.
      retryStrategy: (times: number) => Math.min(times * 100, 1000),
    });
    counters.redisAvailable = false;
    return new ResilientThrottlerStorage(
      redis,
      new ThrottlerStorageRedisService(redis),
      new FixedWindowThrottlerStorage(),
      counters,
      settings.redis.probeIntervalMs,
    );
  }

  /** Resolves when the first connection attempt has an outcome (or after `timeoutMs`); never rejects. */
  whenSettled(timeoutMs: number): Promise<void> {
    if (this.state !== 'starting') return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.redis.off('ready', done);
        this.redis.off('error', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.redis.once('ready', done);
      this.redis.once('error', done);
    });
  }

  get available(): boolean {
    return this.state === 'up';
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    if (this.state === 'up' ? this.redis.status === 'ready' : this.mayProbe()) {
      try {
        const record = await this.remote.increment(key, ttl, limit, blockDuration, throttlerName);
        if (this.state !== 'up') this.markUp();
        return record;
      } catch (err) {
        this.markDown(err instanceof Error ? err.message : String(err));
      } finally {
        this.probing = false;
      }
    } else if (this.state === 'up') {
      this.markDown(`connection ${this.redis.status}`);
    }
    this.counters.localFallbacks++;
    return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  /** While down: try Redis again only over a live connection, one call at a time, once per interval. */
  private mayProbe(): boolean {
    if (this.probing || this.redis.status !== 'ready') return false;
    const now = Date.now();
    if (now < this.probeAt) return false;
    this.probeAt = now + this.probeIntervalMs;
    this.probing = true;
    return true;
  }

  private markUp(): void {
    if (this.state === 'up' || this.closing) return;
    const was = this.state;
    this.state = 'up';
    this.counters.redisAvailable = true;
    if (was === 'down') this.logger.log('Redis answers again: rate limits are shared by all replicas again');
  }

  private markDown(reason: string): void {
    if (this.state === 'down' || this.closing) return;
    this.state = 'down';
    this.probeAt = Date.now() + this.probeIntervalMs;
    this.counters.redisAvailable = false;
    this.counters.redisOutages++;
    this.logger.warn(`Redis is unavailable (${reason}): rate limits are counted per replica until it is back`);
  }

  /** After the server has stopped taking requests; safe to call more than once. */
  onApplicationShutdown(): Promise<void> {
    this.closing ??= (async () => {
      this.local.onApplicationShutdown();
      try {
        await this.redis.quit();
      } catch {
        this.redis.disconnect();
      }
    })();
    return this.closing;
  }
}
