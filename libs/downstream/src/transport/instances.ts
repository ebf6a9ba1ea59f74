import CircuitBreaker from 'opossum';
import { Pool } from 'undici';

export interface BreakerOptions {
  /** Open when more than this % of calls in the window failed… */
  errorThresholdPercentage: number;
  /** …and the window saw at least this many calls. */
  volumeThreshold: number;
  /** Rolling window length. */
  windowMs: number;
  /** How long an open breaker waits before letting one probe through (half-open). */
  resetTimeoutMs: number;
  /** Consecutive connection failures (refused, reset, connect timeout) that eject an instance at once, whatever the volume. */
  consecutiveConnectFailures: number;
}

export const DEFAULT_BREAKER: BreakerOptions = {
  errorThresholdPercentage: 50,
  volumeThreshold: 10,
  windowMs: 10_000,
  resetTimeoutMs: 5_000,
  consecutiveConnectFailures: 2,
};

export type BreakerState = 'closed' | 'open' | 'half-open';
export type Breaker = CircuitBreaker<[() => Promise<unknown>], unknown>;

/** One base URL of a downstream: its keep-alive pool, its breaker, its connect-failure streak. */
export interface Instance {
  pool: Pool;
  /** Path prefix of the base URL, e.g. `/catalog` for `http://host/catalog`. */
  prefix: string;
  /** `catalog#1`: how health and metrics name an instance (never by host). */
  label: string;
  breaker: Breaker;
  openedAt: number;
  connectFailures: number;
}

export function createInstance(
  base: string,
  label: string,
  pool: { connections: number; attemptTimeoutMs: number },
  breaker: Breaker,
): Instance {
  const url = new URL(base);
  const instance: Instance = {
    pool: new Pool(url.origin, {
      connections: pool.connections,
      keepAliveTimeout: 10_000,
      // Backstops only: the attempt's AbortSignal enforces the real limit.
      headersTimeout: pool.attemptTimeoutMs * 2,
      bodyTimeout: pool.attemptTimeoutMs * 2,
    }),
    prefix: url.pathname.replace(/\/+$/, ''),
    label,
    breaker,
    openedAt: 0,
    connectFailures: 0,
  };
  breaker.on('open', () => (instance.openedAt = Date.now()));
  return instance;
}

export function stateOf(breaker: Breaker): BreakerState {
  return breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed';
}
