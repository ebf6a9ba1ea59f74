import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';

/**
 * A compiled check of one downstream answer shape. The predicate runs on every call of the hot path
 * (TypeBox compiles the schema to plain code once); `explain` only runs for an answer that failed,
 * and names the first field that does not fit, e.g. `/data/3/price: Expected number`.
 */
export interface Check<T> {
  (value: unknown): value is T;
  explain(value: unknown): string;
}

export function compileCheck<S extends TSchema>(schema: S): Check<Static<S>> {
  const compiled = TypeCompiler.Compile(schema);
  const check = ((value: unknown) => compiled.Check(value)) as Check<Static<S>>;
  check.explain = (value: unknown) => {
    const first = compiled.Errors(value).First();
    return first ? `${first.path || '/'}: ${first.message}` : 'fits the contract';
  };
  return check;
}
