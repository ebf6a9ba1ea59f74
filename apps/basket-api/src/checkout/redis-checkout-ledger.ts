import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { storeCommand } from '../redis/redis-connection';
import type { CheckoutClaim, CheckoutLedger } from './checkout-ledger';

export interface RedisCheckoutLedgerOptions {
  /** Before every key, e.g. to share one Redis between environments; none by default. */
  keyPrefix?: string;
  /** How long a claim holds before another replica may take it over; see checkoutClaimTtlMs. */
  claimTtlMs: number;
  /** How long a finished key answers 'done'; one day by default. */
  doneTtlMs?: number;
}

const DONE = 'done';
/** Deletes the key only while it still holds this claim's token: never a finished key, never a later claim. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * The ledger shared by every replica, one key per checkout under `{keyPrefix}checkout:{key}`:
 * `SET NX PX` claims it atomically with a token of its own (so a crashed holder's claim lapses),
 * completing overwrites it with 'done' for a day, releasing deletes it only if the token still matches.
 */
export class RedisCheckoutLedger implements CheckoutLedger {
  private readonly keyPrefix: string;
  private readonly claimTtlMs: number;
  private readonly doneTtlMs: number;

  constructor(
    private readonly redis: Redis,
    options: RedisCheckoutLedgerOptions,
  ) {
    this.keyPrefix = options.keyPrefix ?? '';
    this.claimTtlMs = options.claimTtlMs;
    this.doneTtlMs = options.doneTtlMs ?? 24 * 60 * 60 * 1000;
  }

  async claim(key: string): Promise<CheckoutClaim | 'done' | 'busy'> {
    const redisKey = `${this.keyPrefix}checkout:${key}`;
    const token = `claim:${randomUUID()}`;
    if ((await storeCommand(this.redis.set(redisKey, token, 'PX', this.claimTtlMs, 'NX'))) === 'OK') {
      return {
        complete: async () => {
          await storeCommand(this.redis.set(redisKey, DONE, 'PX', this.doneTtlMs));
        },
        release: async () => {
          await storeCommand(this.redis.eval(RELEASE, 1, redisKey, token));
        },
      };
    }
    // Someone holds it, or it was released in between: either way, ask again shortly.
    return (await storeCommand(this.redis.get(redisKey))) === DONE ? 'done' : 'busy';
  }
}
