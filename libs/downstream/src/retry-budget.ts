/**
 * Caps retries at a fraction of a downstream's calls (Finagle's retry budget): every call deposits
 * `ratio` of a token, every retry spends a whole one. During an outage retries stop within a few
 * calls instead of multiplying the load by (1 + max retries). A small reserve lets a quiet service
 * still retry its first failures.
 */
export class RetryBudget {
  private tokens: number;

  constructor(
    private readonly ratio: number,
    private readonly reserve = 3,
  ) {
    this.tokens = reserve;
  }

  /** Record one first attempt. */
  deposit(): void {
    this.tokens = Math.min(this.tokens + this.ratio, this.reserve + 100 * this.ratio);
  }

  /** Take one retry if the budget allows it. */
  tryWithdraw(): boolean {
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
