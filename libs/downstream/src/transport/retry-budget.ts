export interface RetryBudgetOptions {
  /** Retries allowed per call made, e.g. 0.2 = at most 20 % extra load (RETRY_BUDGET_PERCENT). */
  ratio: number;
  /** Retries per second always allowed, however little traffic there is (RETRY_MIN_PER_SEC). */
  minPerSec: number;
  /** How long a call's deposit (and a retry's withdrawal) counts (RETRY_BUDGET_TTL_MS). */
  ttlMs: number;
}

export const DEFAULT_RETRY_BUDGET: RetryBudgetOptions = { ratio: 0.2, minPerSec: 10, ttlMs: 10_000 };

const SLOTS = 10;

/**
 * Finagle's retry budget: within the last `ttlMs`, retries (and hedges) may number at most
 * `minPerSec × ttl` plus `ratio` of the calls made. Deposits expire, so a burst long ago buys
 * nothing during an outage now, and the floor lets a quiet service still retry its failures.
 * Counts are kept in ten time slots of ttl/10 each: O(1) per call, no timers.
 */
export class RetryBudget {
  private readonly slotMs: number;
  private readonly deposits = new Float64Array(SLOTS);
  private readonly withdrawals = new Float64Array(SLOTS);
  private readonly stamps = new Float64Array(SLOTS).fill(-1);
  private readonly reserve: number;

  constructor(private readonly options: RetryBudgetOptions = DEFAULT_RETRY_BUDGET) {
    this.slotMs = Math.max(1, options.ttlMs / SLOTS);
    this.reserve = (options.minPerSec * options.ttlMs) / 1000;
  }

  /** Record one call (a first attempt). */
  deposit(now = Date.now()): void {
    this.deposits[this.slot(now)] += 1;
  }

  /** Take one retry if the budget allows it. */
  tryWithdraw(now = Date.now()): boolean {
    const i = this.slot(now);
    if (this.balance(now) < 1) return false;
    this.withdrawals[i] += 1;
    return true;
  }

  /** Retries still allowed now. */
  balance(now = Date.now()): number {
    this.slot(now);
    let deposits = 0;
    let withdrawals = 0;
    const oldest = Math.floor(now / this.slotMs) - SLOTS + 1;
    for (let i = 0; i < SLOTS; i++) {
      if (this.stamps[i] < oldest) continue;
      deposits += this.deposits[i];
      withdrawals += this.withdrawals[i];
    }
    return this.reserve + deposits * this.options.ratio - withdrawals;
  }

  /** The slot for `now`, cleared when it last held an older period. */
  private slot(now: number): number {
    const period = Math.floor(now / this.slotMs);
    const i = period % SLOTS;
    if (this.stamps[i] !== period) {
      this.stamps[i] = period;
      this.deposits[i] = 0;
      this.withdrawals[i] = 0;
    }
    return i;
  }
}
