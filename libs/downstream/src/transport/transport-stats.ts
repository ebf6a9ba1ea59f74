/** Counters of one downstream's transport (health, tests, logs). */
export interface TransportStats {
  inFlight: number;
  calls: number;
  retries: number;
  hedges: number;
  shed: number;
  staleServed: number;
}

export const newStats = (): TransportStats => ({ inFlight: 0, calls: 0, retries: 0, hedges: 0, shed: 0, staleServed: 0 });

/** How long before the request deadline every attempt is cut off, so a failure can still be answered (stale copy, mapping). */
export const DEADLINE_MARGIN_MS = 15;
/** A retry or hedge is only worth it when this much of the deadline is left. */
export const MIN_ATTEMPT_MS = 20;
