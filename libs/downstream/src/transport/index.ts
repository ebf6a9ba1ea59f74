export * from './policy';
export * from './pipeline';
export * from './instances';
export * from './retry-budget';
export { DEFAULT_RETRY, type RetryOptions } from './retry.policy';
export { MIN_HEDGE_AFTER_MS } from './hedge.policy';
export { discardBody } from './attempt.policy';
export type { TransportStats } from './transport-stats';
