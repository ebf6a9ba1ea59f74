import { sleep } from '@app/testing';
import { FixedWindowThrottlerStorage } from './fixed-window.storage';

describe('FixedWindowThrottlerStorage', () => {
  const storage = new FixedWindowThrottlerStorage();
  afterAll(() => storage.onApplicationShutdown());

  it('counts hits in a window, blocks past the limit for the block duration, then starts afresh', async () => {
    for (let i = 1; i <= 3; i++) {
      expect(await storage.increment('k', 200, 3, 300, 'default')).toMatchObject({ totalHits: i, isBlocked: false, timeToBlockExpire: 0 });
    }
    const over = await storage.increment('k', 200, 3, 300, 'default');
    expect(over).toMatchObject({ isBlocked: true, timeToBlockExpire: 1 });
    await sleep(220);
    expect((await storage.increment('k', 200, 3, 300, 'default')).isBlocked).toBe(true); // still blocked
    await sleep(100);
    expect(await storage.increment('k', 200, 3, 300, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('keeps classes and keys apart', async () => {
    await storage.increment('a', 1000, 1, 1000, 'default');
    expect((await storage.increment('a', 1000, 1, 1000, 'checkout')).isBlocked).toBe(false);
    expect((await storage.increment('b', 1000, 1, 1000, 'default')).isBlocked).toBe(false);
    expect((await storage.increment('a', 1000, 1, 1000, 'default')).isBlocked).toBe(true);
  });
});

describe('FixedWindowThrottlerStorage.incrementNow', () => {
  it('counts like increment() but answers without a promise (the guard uses it on the request path)', async () => {
    const storage = new FixedWindowThrottlerStorage();
    try {
      const now = storage.incrementNow('n', 1000, 2, 1000, 'default');
      expect(now).not.toBeInstanceOf(Promise);
      expect(now).toMatchObject({ totalHits: 1, isBlocked: false });
      expect(await storage.increment('n', 1000, 2, 1000, 'default')).toMatchObject({ totalHits: 2, isBlocked: false });
      expect(storage.incrementNow('n', 1000, 2, 1000, 'default').isBlocked).toBe(true);
    } finally {
      storage.onApplicationShutdown();
    }
  });
});
