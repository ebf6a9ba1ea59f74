import { RequestContextStore, type TraceContext } from '@app/context';
import type { DownstreamObserver } from '../downstream-observer';

export interface AttemptStart {
  t0: number;
  span?: ReturnType<NonNullable<DownstreamObserver['span']>>;
}

/**
 * Where every attempt (and every call refused before one: shed, open) of one downstream is
 * reported: a timing in the request context (Server-Timing, logs), the metrics observer, and a
 * client span when tracing export is on. Typed clients and gateway passthrough report alike.
 */
export class Telemetry {
  constructor(
    readonly service: string,
    private readonly observer?: DownstreamObserver,
  ) {}

  begin(method: string, path: string): AttemptStart {
    const trace = RequestContextStore.current()?.trace;
    const span = trace ? this.observer?.span?.(this.service, `${method} ${this.service}`, trace, path) : undefined;
    return { t0: performance.now(), span };
  }

  record(at: AttemptStart, outcome: string): void {
    const ms = performance.now() - at.t0;
    RequestContextStore.current()?.timings.push({ service: this.service, ms, outcome });
    this.observer?.attempt(this.service, outcome, ms / 1000);
    at.span?.end({ 'downstream.service': this.service, 'downstream.outcome': outcome }, !/^[1-4]\d\d$/.test(outcome));
  }

  /** A call refused without an attempt (`shed`, `open`, `deadline`). */
  reject(outcome: string): void {
    this.record({ t0: performance.now() }, outcome);
  }

  cache(hit: boolean): void {
    this.observer?.cache(this.service, hit);
  }

  /** One call sent for `size` distinct ids collected by the batch policy. */
  batch(size: number): void {
    this.observer?.batch?.(this.service, size);
  }
}

export function traceparentOf(t: TraceContext): string {
  return `00-${t.traceId}-${t.spanId}-${t.flags}`;
}
