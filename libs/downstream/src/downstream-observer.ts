import type { TraceContext } from '@app/context';

/** Where the transport reports each attempt and cache lookup (metrics); optional. */
export interface DownstreamObserver {
  /** One downstream attempt (or shed/open rejection) with its outcome: a status code or an error name. */
  attempt(service: string, outcome: string, seconds: number): void;
  cache(service: string, hit: boolean): void;
  /** One call sent for `size` distinct ids by the batch policy (1: the lookup went alone). */
  batch?(service: string, size: number): void;
  /** Opens a client span for one attempt when tracing export is on; its ids go out as `traceparent`. */
  span?(
    service: string,
    name: string,
    parent: TraceContext,
    path: string,
  ): { trace: TraceContext; end(attributes: Record<string, string | number>, failed: boolean): void } | undefined;
}

export const DOWNSTREAM_OBSERVER = Symbol('DOWNSTREAM_OBSERVER');
