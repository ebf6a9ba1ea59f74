import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived the last full GC, in percent.
 * V8's own factor grows to ≈ 2–4× under a steady allocation rate, so a BFF with ≈ 40 MB live sat at
 * 230–265 MB RSS; at 30 % it stays ≈ 165–170 MB at the same CPU per request (README, "Choices").
 * Smaller young generations were measured too and cost 20–60 % more CPU per request: not done.
 */
export const HEAP_GROWING_PERCENT = 30;

/**
 * Applies the heap policy once at start, unless the operator put V8's flag on the node command line
 * (Node refuses it in NODE_OPTIONS). The run contract starts `node dist/apps/<name>/main.js`, so the
 * process sets it itself; V8 reads this flag at every full GC, so setting it after start takes effect.
 */
export function tuneHeap(execArgv: readonly string[] = process.execArgv, apply: (flags: string) => void = setFlagsFromString): boolean {
  // V8 reads `_` and `-` in flag names alike.
  if (execArgv.some((arg) => arg.replace(/_/g, '-').includes('heap-growing-percent'))) return false;
  apply(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
