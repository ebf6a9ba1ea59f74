import { h, link } from './dom';
import { degradedWords, ShopError } from './problem';
import { navigate } from './router';
import { signedIn } from './session';

/** An error in plain words; a 401 offers to sign in again. */
export function errorBanner(err: unknown): HTMLElement {
  const message = err instanceof ShopError ? err.message : 'Something went wrong. Please try again.';
  const status = err instanceof ShopError ? err.status : undefined;
  return h(
    'div',
    { class: 'banner error', role: 'alert', 'data-testid': 'banner-error' },
    message,
    status === 401 ? [' ', link(signInHref(), { 'data-testid': 'banner-signin' }, 'Sign in')] : null,
  );
}

/** One banner per missing part of a degraded answer (`degraded: [...]`), same words once. */
export function degradedBanners(parts: readonly string[]): HTMLElement[] {
  const byWords = new Map<string, string>();
  for (const p of parts) if (!byWords.has(degradedWords(p))) byWords.set(degradedWords(p), p);
  return [...byWords].map(([w, p]) =>
    h('div', { class: 'banner warn', role: 'status', 'data-testid': 'banner-degraded', 'data-part': p }, w),
  );
}

export const notice = (text: string): HTMLElement => h('div', { class: 'banner ok', role: 'status', 'data-testid': 'notice' }, text);

export const signInHref = (): string => `/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`;

/** Pages that need a shopper send others to sign in first, and come back afterwards. */
export function requireSignIn(): boolean {
  if (signedIn()) return true;
  navigate(signInHref(), true);
  return false;
}

/** A slot for messages next to a form or list (replaced on each action). */
export function messageSlot(): HTMLElement & { show(el: HTMLElement | null): void } {
  const slot = h('div', { class: 'messages', 'aria-live': 'polite' });
  return Object.assign(slot, { show: (el: HTMLElement | null) => slot.replaceChildren(...(el ? [el] : [])) });
}
