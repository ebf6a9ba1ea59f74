import { RequestContextStore, remainingMs } from '@app/context';

/** One named piece of an aggregate answer. */
export interface PartSpec<T> {
  /** Without a required part the answer is meaningless: its failure fails the whole request. */
  required: boolean;
  run: () => Promise<T>;
  /** What an optional part yields when it fails or misses the deadline. */
  fallback: T;
  /** A part that never degrades (e.g. "no basket" for an anonymous caller). */
  fixed?: boolean;
}

export const required = <T>(run: () => Promise<T>): PartSpec<T> => ({ required: true, run, fallback: undefined as T });

export function optional<T>(run: () => Promise<T>): PartSpec<T | null>;
export function optional<T>(run: () => Promise<T>, fallback: T): PartSpec<T>;
export function optional<T>(run: () => Promise<T>, fallback: T | null = null): PartSpec<T | null> {
  return { required: false, run, fallback };
}

/** A part whose value is known up front; it is never listed in `degraded`. */
export const fixed = <T>(value: T): PartSpec<T> => ({ required: false, run: () => Promise.resolve(value), fallback: value, fixed: true });

export type Values<P> = { [K in keyof P]: P[K] extends PartSpec<infer T> ? T : never };

export interface Aggregated<P> {
  values: Values<P>;
  /**
   * Names of parts that failed or missed the deadline (optional ones) or were answered from a stale
   * copy (stale-if-error), in declaration order; empty when complete.
   */
  degraded: string[];
  /** Why each degraded part failed, for logs (never sent to clients). */
  failures: Array<{ part: string; error: unknown }>;
}

/**
 * The request deadline passed while a part was still running. Its own error (not a downstream
 * one: the part may be any work); a required part's timeout answers 504.
 */
export class PartTimeoutError extends Error {
  readonly clientStatus = 504;
  constructor(readonly part: string) {
    super(`The ${part} part did not answer in time`);
    this.name = 'PartTimeoutError';
  }
}

/**
 * The one aggregation primitive of both BFFs: starts every part at once, waits for all of them but no
 * longer than the request deadline, and answers values plus `degraded` (CONTRACTS.md §3 Partial failure).
 * A required part's failure rejects at once with that part's error; later results are ignored.
 */
export function aggregate<P extends Record<string, PartSpec<unknown>>>(parts: P): Promise<Aggregated<P>> {
  const keys = Object.keys(parts) as Array<keyof P & string>;
  const values = {} as Record<string, unknown>;
  const failed = new Set<string>();
  const failures: Aggregated<P>['failures'] = [];
  const settled = new Set<string>();

  return new Promise<Aggregated<P>>((resolve, reject) => {
    let finished = false;
    let timer: NodeJS.Timeout | undefined;

    const finish = () => {
      finished = true;
      if (timer) clearTimeout(timer);
      const degraded = failed.size === 0 ? [] : keys.filter((k) => failed.has(k));
      const root = RequestContextStore.current();
      if (degraded.length > 0 && root) root.degraded = [...(root.degraded ?? []), ...degraded];
      resolve({ values: values as Values<P>, degraded, failures });
    };
    const fail = (err: unknown) => {
      finished = true;
      if (timer) clearTimeout(timer);
      reject(err);
    };
    const degrade = (key: string, error: unknown) => {
      values[key] = parts[key].fallback;
      failed.add(key);
      failures.push({ part: key, error });
    };

    const left = remainingMs();
    if (Number.isFinite(left)) {
      timer = setTimeout(() => {
        if (finished) return;
        const late = keys.filter((k) => !settled.has(k));
        const lateRequired = late.find((k) => parts[k].required);
        if (lateRequired) return fail(new PartTimeoutError(lateRequired));
        for (const k of late) degrade(k, new PartTimeoutError(k));
        finish();
      }, left);
    }

    let pending = keys.length;
    if (pending === 0) return finish();
    const ctx = RequestContextStore.current();
    for (const key of keys) {
      const spec = parts[key];
      // Each part runs in its own child context so the transport can flag an answer served stale.
      const flags = { stale: false };
      let promise: Promise<unknown>;
      try {
        promise = ctx && !spec.fixed ? RequestContextStore.run({ ...ctx, part: flags }, spec.run) : spec.run();
      } catch (err) {
        promise = Promise.reject(err);
      }
      promise.then(
        (value) => {
          if (finished) return;
          settled.add(key);
          values[key] = value;
          // Stale-if-error: the value stands, but the answer is not complete.
          if (flags.stale) {
            failed.add(key);
            failures.push({ part: key, error: 'served stale' });
          }
          if (--pending === 0) finish();
        },
        (err: unknown) => {
          if (finished) return;
          settled.add(key);
          if (spec.required) return fail(err);
          degrade(key, err);
          if (--pending === 0) finish();
        },
      );
    }
  });
}
