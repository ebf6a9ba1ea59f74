/**
 * Remembers which checkout requests (per buyer and x-requestid) already placed their order,
 * so a retried checkout answers 202 again instead of ordering twice or finding an empty basket.
 * (The ordering service is idempotent on the same key too: this ledger is the fast path.)
 *
 * A checkout first claims its key. Only the holder of the claim orders; it then completes the
 * key (the order exists) or releases it (no order: a retry may try again). Shared ledgers make
 * the claim atomic across replicas, so the same x-requestid arriving at two of them orders once.
 */
export interface CheckoutLedger {
  /** 'done' when the key's order exists, 'busy' while another attempt holds the key, else the claim. */
  claim(key: string): Promise<CheckoutClaim | 'done' | 'busy'>;
}

/** One attempt's hold on a key. */
export interface CheckoutClaim {
  /** The order was placed: from now on the key answers 'done' (even if this claim had lapsed). */
  complete(): Promise<void>;
  /** No order was placed: the key is free again, so a retry orders. A no-op once the claim lapsed or moved on. */
  release(): Promise<void>;
}

export const CHECKOUT_LEDGER = Symbol('CHECKOUT_LEDGER');

/**
 * How long one attempt may hold its key before another replica may take it over (its holder
 * crashed): the ordering call's limit plus room for the store calls around it.
 */
export const checkoutClaimTtlMs = (orderingTimeoutMs: number): number => orderingTimeoutMs + 5000;

/** Bounded: the oldest finished keys are forgotten first, so memory stays flat under load. */
export class InMemoryCheckoutLedger implements CheckoutLedger {
  private readonly done = new Set<string>();
  /** key → the token of the claim holding it. */
  private readonly held = new Map<string, symbol>();

  constructor(private readonly capacity = 10_000) {}

  async claim(key: string): Promise<CheckoutClaim | 'done' | 'busy'> {
    if (this.done.has(key)) return 'done';
    if (this.held.has(key)) return 'busy';
    const token = Symbol(key);
    this.held.set(key, token);
    const holds = () => this.held.get(key) === token;
    return {
      complete: async () => {
        if (holds()) this.held.delete(key);
        this.remember(key);
      },
      release: async () => {
        if (holds()) this.held.delete(key);
      },
    };
  }

  private remember(key: string): void {
    this.done.add(key);
    if (this.done.size > this.capacity) {
      const oldest = this.done.values().next().value;
      if (oldest !== undefined) this.done.delete(oldest);
    }
  }
}
