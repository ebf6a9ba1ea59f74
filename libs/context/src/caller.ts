import { MissingTokenError } from '@app/auth';
import { RequestContextStore } from './request-context';

/** The verified caller's id (the token's `sub`); only call on `@Auth('required')` routes. */
export function currentBuyerId(): string {
  const sub = RequestContextStore.current()?.principal?.sub;
  if (!sub) throw new MissingTokenError();
  return sub;
}

/** The caller's id, or undefined when anonymous. */
export function optionalBuyerId(): string | undefined {
  return RequestContextStore.current()?.principal?.sub;
}
