// The downstream contract's types and checks, re-exported so that typed-client callers import one lib.
export * from '@app/contracts';
