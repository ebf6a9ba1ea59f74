import { createWebBffClient, type WebBffClient } from '../../../sdk/web-bff';
import type { SpaConfig } from './config';
import { ShopError, plainWords } from './problem';

/**
 * The signed-in shopper. The access token lives only in memory (never localStorage): a reload signs
 * the shopper out, and no script injected later can read a stored token.
 */
interface Session {
  token: string;
  name: string;
  expiresAt: number;
}

let config: SpaConfig;
let session: Session | undefined;
let client: WebBffClient;
/** Items in the basket as last seen in an answer; shown in the header. */
let basketCount: number | null = null;

export function initSession(c: SpaConfig): void {
  config = c;
  client = createWebBffClient({ baseUrl: config.webBffUrl });
}

export const signedIn = (): boolean => session !== undefined && session.expiresAt > Date.now();
export const shopperName = (): string | undefined => session?.name;
export const api = (): WebBffClient => client;
export const pictureUrl = (uri: string): string => new URL(uri, config.webBffUrl).toString();
export const getBasketCount = (): number | null => basketCount;
export const setBasketCount = (n: number | null): void => {
  basketCount = n;
  document.dispatchEvent(new CustomEvent('basket-count'));
};

/** Resource owner password grant of the sample identity (client web-spa → audience web-bff). */
export async function signIn(username: string, password: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(new URL('/connect/token', config.identityUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        username,
        password,
        client_id: 'web-spa',
        scope: 'openid profile basket orders',
      }),
    });
  } catch {
    throw new ShopError('The sign-in service could not be reached. Please try again in a moment.');
  }
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string };
  if (!res.ok || !body.access_token) {
    if (body.error === 'invalid_grant') throw new ShopError('Wrong user name or password.', res.status);
    throw new ShopError('Signing in did not work. Please try again in a moment.', res.status);
  }
  session = {
    token: body.access_token,
    name: nameFrom(body.access_token) ?? username,
    expiresAt: Date.now() + (body.expires_in ?? 3600) * 1000,
  };
  client = createWebBffClient({ baseUrl: config.webBffUrl, token: session.token });
}

export function signOut(): void {
  session = undefined;
  basketCount = null;
  client = createWebBffClient({ baseUrl: config.webBffUrl });
  document.dispatchEvent(new CustomEvent('basket-count'));
}

function nameFrom(jwt: string): string | undefined {
  try {
    const payload = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return (JSON.parse(atob(payload)) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** Awaits an SDK call: its data, or a ShopError in plain words (a 401 also ends the session). */
export async function call<T>(request: Promise<Answer<T>>, doing: string): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await request;
  } catch {
    throw new ShopError(`The shop could not be reached, so ${doing} did not work. Check your connection and try again.`);
  }
  if (!answer.response.ok || answer.data === undefined) {
    if (answer.response.status === 401) signOut();
    throw new ShopError(plainWords(answer.response, answer.error, doing), answer.response.status);
  }
  return answer.data;
}

/** An RFC 4122 v4 id; crypto.randomUUID exists only in secure contexts, getRandomValues everywhere. */
export function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
