import type { Balancer } from './breaker.policy';
import { LatencyWindow } from './latency-window';
import type { Answer, Next, Policy, TransportCall } from './policy';
import type { RetryBudget } from './retry-budget';
import { DEADLINE_MARGIN_MS, MIN_ATTEMPT_MS, type TransportStats } from './transport-stats';

/** The least hedge delay (HEDGE_AFTER_MS unset): below this, hedges would mostly double the load. */
export const MIN_HEDGE_AFTER_MS = 20;

/**
 * Hedged shared reads (HEDGE_AFTER_MS): a read not answered after the delay goes once more, to
 * another instance — only where there is one: hedging to the instance that is slow already would
 * double its load (the balancer skips instances this call tried). The first
 * good answer wins and the other attempt is aborted (not counted as the instance's failure). A
 * hedge is paid from the retry budget and only sent while the deadline leaves room for it. The
 * default delay is the downstream's recent p95 (of winning attempts), at least 20 ms.
 */
export class HedgePolicy implements Policy {
  private readonly latencies = new LatencyWindow();

  constructor(
    /** Fixed delay; undefined: the recent p95. */
    private readonly afterMs: number | undefined,
    private readonly budget: RetryBudget,
    private readonly balancer: Balancer,
    private readonly stats: TransportStats,
  ) {}

  /** The delay the next hedge would wait. */
  delayMs(): number {
    return this.afterMs ?? Math.max(MIN_HEDGE_AFTER_MS, this.latencies.p95() ?? MIN_HEDGE_AFTER_MS);
  }

  execute(call: TransportCall, next: Next): Promise<Answer> {
    if (!call.shared) return next(call);
    const delay = this.delayMs();
    return new Promise<Answer>((resolve, reject) => {
      const running: AbortController[] = [];
      let failures = 0;
      let firstError: unknown;
      let settled = false;
      let timer: NodeJS.Timeout | undefined = undefined;
      const finish = () => {
        settled = true;
        clearTimeout(timer);
        call.signal?.removeEventListener('abort', abortAll);
      };
      const abortAll = () => running.forEach((c) => c.abort());
      call.signal?.addEventListener('abort', abortAll, { once: true });

      const launch = () => {
        const controller = new AbortController();
        running.push(controller);
        // The child sees the parent's fields live (deadline moved by coalescing, the tried set) and owns its signal and instance.
        const child = Object.create(call) as TransportCall;
        child.signal = controller.signal;
        child.instance = undefined;
        const started = performance.now();
        next(child).then(
          (res) => {
            if (settled) return;
            finish();
            this.latencies.add(performance.now() - started);
            for (const other of running) if (other !== controller) other.abort();
            resolve(res);
          },
          (err: unknown) => {
            if (settled) return;
            failures++;
            firstError ??= err;
            // Every attempt sent has failed and no hedge is pending: the retry policy takes it from here.
            if (failures === running.length) {
              finish();
              reject(firstError);
            }
          },
        );
      };

      launch();
      timer = setTimeout(() => {
        if (settled) return;
        if (call.deadline - Date.now() < DEADLINE_MARGIN_MS + MIN_ATTEMPT_MS || !this.balancer.hasUntried(call)) return;
        if (!this.budget.tryWithdraw()) return;
        this.stats.hedges++;
        launch();
      }, delay);
    });
  }
}
