import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full GC, in percent.
 * V8's own factor grows to ≈ 2–4× under a steady allocation rate, so a BFF with ≈ 40 MB live sat at
 * 230–265 MB RSS; at 30 % it stays ≈ 165–170 MB at the same CPU per request (README, "Choices").
 */
export const HEAP_GROWING_PERCENT = 30;

/**
 * The young generation's cap (both semi-spaces), in bytes: V8's default on 64-bit is 32 MB, all of
 * it resident under load. At 8 MB RSS under the bench mix drops ≈ 25–35 MB (≈ 162 → ≈ 135 MB) for
 * ≈ 4 % more CPU per request (≈ 12 % against a 64 MB young generation; README, "Choices"); at 4 MB
 * CPU per request was ≈ 1.2× the 8 MB figure.
 */
export const YOUNG_GENERATION_BYTES = 8 * 1024 * 1024;

type Apply = (flags: string) => void;

/** The node command line and NODE_OPTIONS: where an operator's own V8 flags are. */
function operatorFlags(): string[] {
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
}

const named = (flags: readonly string[], name: string) => flags.some((arg) => arg.replace(/_/g, '-').includes(name));

/**
 * Applies the old-generation policy, unless the operator put V8's flag on the node command line
 * (Node refuses it in NODE_OPTIONS). The run contract starts `node dist/apps/<name>/main.js`, so the
 * process sets it itself; V8 reads this flag at every full GC, so setting it after start takes effect.
 */
export function tuneHeap(execArgv: readonly string[] = process.execArgv, apply: Apply = setFlagsFromString): boolean {
  // V8 reads `_` and `-` in flag names alike.
  if (named(execArgv, 'heap-growing-percent')) return false;
  apply(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}

/**
 * Holds the young generation at `capBytes`. `--max-semi-space-size` is read only when the process
 * starts, and the run contract starts plain `node …/main.js`; what V8 does read at every scavenge is
 * the growth factor. So the factor is 1 (no growth) from the first line of main.js — the modules
 * load in a small young generation — and after each GC it is the largest one whose next growth stays
 * within the cap: 1 once the space is there (V8 may shrink it when idle; it can then grow back).
 * An operator's own semi-space flag on the command line or in NODE_OPTIONS wins.
 */
export function capYoungGeneration(
  capBytes: number = YOUNG_GENERATION_BYTES,
  flags: readonly string[] = operatorFlags(),
  apply: Apply = setFlagsFromString,
  youngBytes: () => number = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0,
): YoungGenerationCap | undefined {
  if (named(flags, 'semi-space')) return undefined;
  let factor = 1;
  const check = () => {
    const next = Math.max(1, Math.floor(capBytes / Math.max(1, youngBytes())));
    if (next === factor) return;
    factor = next;
    apply(`--semi-space-growth-factor=${factor}`);
  };
  apply('--semi-space-growth-factor=1');
  const observer = new PerformanceObserver(check);
  // GC entries arrive after the loop turns: the first check runs once main.js has loaded its modules.
  observer.observe({ entryTypes: ['gc'] });
  setImmediate(check).unref();
  return { check, stop: () => observer.disconnect() };
}

export interface YoungGenerationCap {
  /** Looks at the young generation's size and sets the growth factor (runs after every GC). */
  check(): void;
  stop(): void;
}
