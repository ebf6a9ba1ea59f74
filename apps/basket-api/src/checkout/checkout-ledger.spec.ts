import { setTimeout as sleep } from 'node:timers/promises';
import { openRedisTestNamespace, type RedisTestNamespace } from '../testing';
import { InMemoryCheckoutLedger, type CheckoutClaim, type CheckoutLedger } from './checkout-ledger';
import { RedisCheckoutLedger } from './redis-checkout-ledger';

// The real Redis, in a namespace of this run's own, emptied afterwards.
let ns: RedisTestNamespace;
beforeAll(() => (ns = openRedisTestNamespace()));
afterAll(() => ns.close());

/** A ledger in the shared namespace: each call stands for another replica. */
const replica = (claimTtlMs = 10_000) => new RedisCheckoutLedger(ns.redis, { keyPrefix: ns.keyPrefix, claimTtlMs, doneTtlMs: 60_000 });

const claimed = async (ledger: CheckoutLedger, key: string): Promise<CheckoutClaim> => {
  const claim = await ledger.claim(key);
  if (typeof claim === 'string') throw new Error(`${key} was ${claim}, not claimed`);
  return claim;
};

// The same contract for every ledger.
describe.each([
  ['InMemoryCheckoutLedger', () => new InMemoryCheckoutLedger()],
  ['RedisCheckoutLedger', () => replica()],
])('%s', (_name, create: () => CheckoutLedger) => {
  let ledger: CheckoutLedger;
  beforeAll(() => (ledger = create()));

  it('gives a key to exactly one of many concurrent claims; the others find it busy', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => ledger.claim('buyer\nconcurrent')));
    expect(results.filter((r) => typeof r === 'object')).toHaveLength(1);
    expect(results.filter((r) => r === 'busy')).toHaveLength(9);
  });

  it('answers done once the claim completes, and a late release does not undo it', async () => {
    const claim = await claimed(ledger, 'buyer\ncompleted');
    await claim.complete();
    await claim.release();
    expect(await ledger.claim('buyer\ncompleted')).toBe('done');
  });

  it('frees a released key for a retry, and a stale release does not free the retry’s claim', async () => {
    const first = await claimed(ledger, 'buyer\nreleased');
    await first.release();
    const retry = await claimed(ledger, 'buyer\nreleased');
    await first.release();
    expect(await ledger.claim('buyer\nreleased')).toBe('busy');
    await retry.complete();
    expect(await ledger.claim('buyer\nreleased')).toBe('done');
  });

  it('keeps keys apart', async () => {
    await (await claimed(ledger, 'alice\nsame-id')).complete();
    expect(typeof (await ledger.claim('bob\nsame-id'))).toBe('object');
  });
});

describe('InMemoryCheckoutLedger capacity', () => {
  it('forgets the oldest finished keys beyond its capacity', async () => {
    const ledger = new InMemoryCheckoutLedger(2);
    for (const key of ['a', 'b', 'c']) await (await claimed(ledger, key)).complete();
    expect(await ledger.claim('b')).toBe('done');
    expect(await ledger.claim('c')).toBe('done');
    expect(typeof (await ledger.claim('a'))).toBe('object');
  });
});

describe('RedisCheckoutLedger across replicas', () => {
  it('shares claims and finished keys under {prefix}checkout:{key}, each with a TTL', async () => {
    const claim = await claimed(replica(), 'buyer\nshared');
    expect(await replica().claim('buyer\nshared')).toBe('busy');
    const key = `${ns.keyPrefix}checkout:buyer\nshared`;
    expect(await ns.redis.pttl(key)).toBeGreaterThan(9000);

    await claim.complete();
    expect(await replica().claim('buyer\nshared')).toBe('done');
    expect(await ns.redis.get(key)).toBe('done');
    expect(await ns.redis.pttl(key)).toBeGreaterThan(59_000);
  });

  it('lets another replica take over a claim whose holder died, and the dead holder cannot release it', async () => {
    const dead = await claimed(replica(100), 'buyer\nlapsed');
    expect(await replica().claim('buyer\nlapsed')).toBe('busy');
    await sleep(150);
    const takeover = await claimed(replica(), 'buyer\nlapsed');
    await dead.release();
    expect(await replica().claim('buyer\nlapsed')).toBe('busy');
    await takeover.complete();
    expect(await replica().claim('buyer\nlapsed')).toBe('done');
  });
});
