import { BadRequestException } from '@nestjs/common';

/**
 * Sparse fieldsets (`fields=id,name,price`): the names asked for, or undefined for all of them.
 * An unknown name is a 400 that lists what may be asked for.
 */
export function parseFields<K extends string>(raw: string | undefined, allowed: readonly K[]): K[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(allowed as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length > 0) {
    const message = `fields may only name ${allowed.join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`;
    throw new BadRequestException({ detail: message, errors: [{ field: 'fields', message }] });
  }
  return [...new Set(names)] as K[];
}

/** The object with only the named fields (all of them when `fields` is undefined). */
export function pickFields<T extends object, K extends keyof T>(value: T, fields: readonly K[] | undefined): Partial<T> {
  if (!fields) return value;
  const out: Partial<T> = {};
  for (const f of fields) out[f] = value[f];
  return out;
}
