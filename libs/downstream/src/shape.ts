/**
 * Small hand-written shape checks for downstream answers. They run on every call of the hot path,
 * so they are plain predicates rather than class-validator (which would instantiate classes per item).
 */
export type Check<T> = (value: unknown) => value is T;

export class ShapeError extends Error {}

export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isInt = (v: unknown): v is number => Number.isInteger(v);
export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isStr = (v: unknown): v is string => typeof v === 'string';
export const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
export const isOptStr = (v: unknown): v is string | null | undefined => v === undefined || v === null || isStr(v);

export function arrayOf<T>(check: Check<T>): Check<T[]> {
  return (v: unknown): v is T[] => Array.isArray(v) && v.every((x) => check(x));
}

/** Returns the value typed, or throws ShapeError naming what did not fit. */
export function expectShape<T>(value: unknown, check: Check<T>, what: string): T {
  if (!check(value)) throw new ShapeError(`${what} does not fit the contract`);
  return value;
}
