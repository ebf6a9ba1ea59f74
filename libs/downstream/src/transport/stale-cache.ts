/** Last good answers per path, bounded (oldest out), for stale-if-error on shared reads. */
export class StaleCache {
  private readonly entries = new Map<string, { value: unknown; at: number }>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly maxEntries = 2000,
  ) {}

  remember(key: string, value: unknown): void {
    this.entries.delete(key);
    this.entries.set(key, { value, at: Date.now() });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** The last good value if it is recent enough, else undefined. */
  recall(key: string): unknown {
    const hit = this.entries.get(key);
    return hit && Date.now() - hit.at <= this.maxAgeMs ? hit.value : undefined;
  }
}
