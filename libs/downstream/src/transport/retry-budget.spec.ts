import { RetryBudget } from './retry-budget';

describe('RetryBudget (Finagle-style: a floor, a ratio, deposits that expire)', () => {
  const t0 = 1_000_000;

  it('always allows the floor (minPerSec × ttl), even with no traffic at all', () => {
    const budget = new RetryBudget({ ratio: 0.2, minPerSec: 2, ttlMs: 1000 });
    expect([budget.tryWithdraw(t0), budget.tryWithdraw(t0), budget.tryWithdraw(t0)]).toEqual([true, true, false]);
    // Withdrawals expire too: a second later the floor is whole again.
    expect(budget.tryWithdraw(t0 + 1001)).toBe(true);
  });

  it('adds ratio × calls within the TTL, and forgets calls older than the TTL', () => {
    const budget = new RetryBudget({ ratio: 0.2, minPerSec: 0, ttlMs: 1000 });
    expect(budget.tryWithdraw(t0)).toBe(false);
    for (let i = 0; i < 10; i++) budget.deposit(t0);
    expect(budget.balance(t0)).toBeCloseTo(2);
    expect([budget.tryWithdraw(t0 + 10), budget.tryWithdraw(t0 + 10), budget.tryWithdraw(t0 + 10)]).toEqual([true, true, false]);
    // The deposits of long ago buy nothing now.
    for (let i = 0; i < 10; i++) budget.deposit(t0 + 20);
    expect(budget.balance(t0 + 500)).toBeCloseTo(2);
    expect(budget.balance(t0 + 2000)).toBeCloseTo(0);
  });
});
