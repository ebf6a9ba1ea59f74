/**
 * Remembers which idempotency keys were already carried out, so that a replayed checkout answers 202
 * again even though the basket is empty by then. In process and bounded; the downstream's own
 * `x-requestid` dedupe is what guarantees one order across replicas and restarts.
 */
export class IdempotencyStore<T> {
  private readonly entries = new Map<string, { value: Promise<T>; expires: number }>();

  constructor(
    private readonly ttlMs = 24 * 60 * 60_000,
    private readonly maxEntries = 50_000,
  ) {}

  /** Runs `work` once per key while the key is remembered; concurrent callers share the same promise. */
  once(key: string, work: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value;
    const value = work();
    this.entries.set(key, { value, expires: now + this.ttlMs });
    // A failed attempt must not be remembered: the client may retry with the same key.
    value.catch(() => this.entries.delete(key));
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }
}
