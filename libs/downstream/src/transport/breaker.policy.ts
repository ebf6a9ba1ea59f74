import CircuitBreaker from 'opossum';
import { DownstreamConnectionError, DownstreamTimeoutError, DownstreamUnavailableError, isInstanceFault } from '../downstream.errors';
import type { Breaker, BreakerOptions, Instance } from './instances';
import type { Answer, Next, Policy, TransportCall } from './policy';
import type { Telemetry } from './telemetry';
import { DEADLINE_MARGIN_MS } from './transport-stats';

/** Round-robin over the instances whose breaker is not open, preferring those a call has not tried yet. */
export class Balancer {
  private next = 0;

  constructor(
    private readonly instances: readonly Instance[],
    private readonly resetTimeoutMs: number,
  ) {}

  pick(call: TransportCall): Instance | undefined {
    const n = this.instances.length;
    let fallback: Instance | undefined;
    for (let k = 0; k < n; k++) {
      const i = (this.next + k) % n;
      const instance = this.instances[i];
      if (instance.breaker.opened) continue;
      if (!call.tried.has(instance)) {
        this.next = i + 1;
        return instance;
      }
      fallback ??= instance;
    }
    this.next++;
    return fallback;
  }

  /** Is there an instance, not ejected, that this call has not tried? */
  hasUntried(call: TransportCall): boolean {
    return this.instances.some((i) => !i.breaker.opened && !call.tried.has(i));
  }

  /**
   * Ejection on connection failures never takes out the last instance still in: with nowhere else
   * to go, the answer stays the downstream's error (502) and the breaker's own threshold decides.
   */
  canEject(instance: Instance): boolean {
    return !instance.breaker.opened && this.instances.some((i) => i !== instance && !i.breaker.opened);
  }

  /** Seconds until the first open breaker lets a probe through. */
  retryAfterSec(): number {
    const reopen = Math.min(...this.instances.map((i) => i.openedAt + this.resetTimeoutMs));
    return Math.max(1, Math.ceil((reopen - Date.now()) / 1000));
  }
}

export function createBreaker(o: BreakerOptions): Breaker {
  return new CircuitBreaker((thunk: () => Promise<unknown>) => thunk(), {
    timeout: false, // the attempt enforces its own limit, bounded by the request deadline
    errorThresholdPercentage: o.errorThresholdPercentage,
    volumeThreshold: o.volumeThreshold,
    rollingCountTimeout: o.windowMs,
    rollingCountBuckets: 10,
    resetTimeout: o.resetTimeoutMs,
    // 4xx answers, cancelled attempts and attempts cut by the request deadline say nothing about the instance.
    errorFilter: (err: unknown) => !isInstanceFault(err),
  });
}

/**
 * Picks the instance and runs the attempt through its breaker (one per instance, opossum): an
 * instance failing more than the threshold is ejected until a probe succeeds, and consecutive
 * connection failures eject it at once, whatever the breaker's volume, while another instance is
 * left (Envoy's consecutive-gateway-failure ejection). No instance left → 503 without a call. No time left
 * before the deadline → the attempt is never sent (and counts against nobody).
 */
export class BreakerPolicy implements Policy {
  constructor(
    private readonly balancer: Balancer,
    private readonly options: BreakerOptions,
    private readonly telemetry: Telemetry,
  ) {}

  execute(call: TransportCall, next: Next): Promise<Answer> {
    if (call.deadline - Date.now() <= DEADLINE_MARGIN_MS) {
      this.telemetry.reject('deadline');
      return Promise.reject(new DownstreamTimeoutError(this.telemetry.service, 'deadline'));
    }
    const instance = this.balancer.pick(call);
    if (!instance) {
      this.telemetry.reject('open');
      return Promise.reject(new DownstreamUnavailableError(this.telemetry.service, this.balancer.retryAfterSec()));
    }
    call.instance = instance;
    call.tried.add(instance);
    return (instance.breaker.fire(() => next(call)) as Promise<Answer>).then(
      (res) => {
        instance.connectFailures = 0;
        return res;
      },
      (err: unknown) => {
        throw this.failed(instance, err);
      },
    );
  }

  private failed(instance: Instance, err: unknown): unknown {
    // A breaker that opened between pick() and fire() rejects with EOPENBREAKER: same as no instance.
    if ((err as { code?: string })?.code === 'EOPENBREAKER') {
      return new DownstreamUnavailableError(this.telemetry.service, this.balancer.retryAfterSec());
    }
    if (err instanceof DownstreamConnectionError && err.connectFailure) {
      if (++instance.connectFailures >= this.options.consecutiveConnectFailures && this.balancer.canEject(instance))
        instance.breaker.open();
    } else if (isInstanceFault(err)) {
      instance.connectFailures = 0;
    }
    return err;
  }
}
