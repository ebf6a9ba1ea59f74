/** Where the transport reports each attempt and cache lookup (metrics); optional. */
export interface DownstreamObserver {
  /** One downstream attempt (or shed/open rejection) with its outcome: a status code or an error name. */
  attempt(service: string, outcome: string, seconds: number): void;
  cache(service: string, hit: boolean): void;
}

export const DOWNSTREAM_OBSERVER = Symbol('DOWNSTREAM_OBSERVER');
