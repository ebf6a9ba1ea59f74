import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { FixedWindowThrottlerStorage } from './fixed-window.storage';
import type { Redis } from 'ioredis';
import { RateLimitCounters } from './rate-limit.counters';
import { ResilientThrottlerStorage } from './resilient-throttler.storage';

/** Just what the storage looks at: `status`, the connection events, and quit/disconnect. */
class FakeRedis extends EventEmitter {
  status = 'connecting';
  quit = jest.fn(async () => 'OK');
  disconnect = jest.fn();
  connect(): void {
    this.status = 'ready';
    this.emit('ready');
  }
  drop(): void {
    this.status = 'reconnecting';
    this.emit('error', new Error('connect ECONNREFUSED'));
    this.emit('close');
  }
}

/** A remote that answers like Redis does, or fails or hangs on demand. */
class FakeRemote implements ThrottlerStorage {
  mode: 'ok' | 'fail' = 'ok';
  calls = 0;
  async increment(): Promise<{ totalHits: number; timeToExpire: number; isBlocked: boolean; timeToBlockExpire: number }> {
    this.calls++;
    if (this.mode === 'fail') throw new Error('Command timed out');
    return { totalHits: 1000, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 };
  }
}

describe('ResilientThrottlerStorage', () => {
  let redis: FakeRedis;
  let remote: FakeRemote;
  let counters: RateLimitCounters;
  let storage: ResilientThrottlerStorage;
  let warn: jest.SpyInstance;
  let log: jest.SpyInstance;
  const hit = () => storage.increment('k', 60_000, 10, 60_000, 'default');

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    redis = new FakeRedis();
    remote = new FakeRemote();
    counters = new RateLimitCounters();
    storage = new ResilientThrottlerStorage(redis as unknown as Redis, remote, new FixedWindowThrottlerStorage(), counters, 1000);
  });
  afterEach(async () => {
    await storage.onApplicationShutdown();
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('counts locally and silently while the first connection is still being made', async () => {
    expect((await hit()).totalHits).toBe(1);
    expect(remote.calls).toBe(0);
    expect(warn).not.toHaveBeenCalled();
    redis.connect();
    expect((await hit()).totalHits).toBe(1000);
    expect(log).not.toHaveBeenCalled();
  });

  it('falls back per call when Redis fails, warns once per outage, and says once when it is back', async () => {
    redis.connect();
    remote.mode = 'fail';
    expect((await hit()).totalHits).toBe(1); // the failed call itself is answered locally
    redis.drop();
    redis.drop();
    for (let i = 0; i < 5; i++) await hit();
    expect(remote.calls).toBe(1); // no Redis call while it is known to be down
    expect(warn).toHaveBeenCalledTimes(1);
    expect(counters).toMatchObject({ redisAvailable: false, redisOutages: 1, localFallbacks: 6 });

    remote.mode = 'ok';
    redis.connect();
    expect((await hit()).totalHits).toBe(1000);
    expect(log).toHaveBeenCalledTimes(1);
    expect(counters.redisAvailable).toBe(true);

    redis.drop();
    expect(warn).toHaveBeenCalledTimes(2); // a new outage, a new warning
  });

  it('over a live connection that stops answering, tries Redis again only once per probe interval', async () => {
    jest.useFakeTimers({ now: 0, doNotFake: ['nextTick', 'setImmediate'] });
    redis.connect();
    remote.mode = 'fail';
    await hit();
    await Promise.all([hit(), hit(), hit()]);
    expect(remote.calls).toBe(1);
    jest.setSystemTime(1001);
    await Promise.all([hit(), hit(), hit()]);
    expect(remote.calls).toBe(2); // one probe; the others were answered locally meanwhile
    remote.mode = 'ok';
    jest.setSystemTime(2002);
    await hit();
    expect(remote.calls).toBe(3);
    expect(log).toHaveBeenCalledTimes(1);
    await hit();
    expect(remote.calls).toBe(4);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('closes the connection once, quietly, even when asked twice or when Redis is down', async () => {
    redis.connect();
    redis.quit.mockRejectedValueOnce(new Error("Stream isn't writeable"));
    await Promise.all([storage.onApplicationShutdown(), storage.onApplicationShutdown()]);
    redis.drop();
    expect(redis.quit).toHaveBeenCalledTimes(1);
    expect(redis.disconnect).toHaveBeenCalledTimes(1);
    expect(warn).not.toHaveBeenCalled();
  });
});
