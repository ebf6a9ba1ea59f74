/** The last `size` latencies of one downstream and their p95, recomputed every `size / 8` samples. */
export class LatencyWindow {
  private readonly samples: Float64Array;
  private count = 0;
  private sinceSorted = 0;
  private cached: number | undefined;

  constructor(private readonly size = 256) {
    this.samples = new Float64Array(size);
  }

  add(ms: number): void {
    this.samples[this.count % this.size] = ms;
    this.count++;
    this.sinceSorted++;
  }

  /** The 95th percentile, or undefined before any sample. */
  p95(): number | undefined {
    const n = Math.min(this.count, this.size);
    if (n === 0) return undefined;
    if (this.cached === undefined || this.sinceSorted >= this.size / 8) {
      const sorted = this.samples.slice(0, n).sort();
      this.cached = sorted[Math.min(n - 1, Math.floor(n * 0.95))];
      this.sinceSorted = 0;
    }
    return this.cached;
  }
}
