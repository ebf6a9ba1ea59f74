/**
 * Remembers which checkout requests (per buyer and x-requestid) already placed their order,
 * so a retried checkout answers 202 again instead of ordering twice or finding an empty basket.
 * (The ordering service is idempotent on the same key too: this ledger is the fast path.)
 *
 * TODO(redis): a Redis implementation (SET key NX with a TTL) belongs next to the Redis basket
 * store; see basket.store.ts.
 */
export interface CheckoutLedger {
  has(key: string): Promise<boolean>;
  add(key: string): Promise<void>;
}

export const CHECKOUT_LEDGER = Symbol('CHECKOUT_LEDGER');

/** Bounded: the oldest keys are forgotten first, so memory stays flat under load. */
export class InMemoryCheckoutLedger implements CheckoutLedger {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  async has(key: string): Promise<boolean> {
    return this.keys.has(key);
  }

  async add(key: string): Promise<void> {
    this.keys.add(key);
    if (this.keys.size > this.capacity) {
      const oldest = this.keys.values().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
  }
}
