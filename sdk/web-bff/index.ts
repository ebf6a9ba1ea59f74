// PROVISIONAL typed client for web-bff (replaced by the SDK generated from /docs-json).
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './openapi';

export type { components, operations, paths } from './openapi';

type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];
export type WebProduct = Schemas['WebProduct'];
export type WebHome = Schemas['WebHome'];
export type WebProductDetail = Schemas['WebProductDetail'];
export type WebBasket = Schemas['WebBasket'];
export type WebBasketItem = Schemas['WebBasketItem'];
export type CheckoutDraft = Schemas['CheckoutDraft'];
export type Checkout = Schemas['Checkout'];
export type OrderSummary = Schemas['OrderSummary'];
export type Order = Schemas['Order'];

export interface WebBffClientOptions {
  /** web-bff's origin, e.g. http://localhost:4000 */
  baseUrl: string;
  /** A fetch to use instead of the global one. */
  fetch?: (input: Request) => Promise<Response>;
  /** Access token (audience web-bff) sent as `Authorization: Bearer …`. */
  token?: string;
}

export type WebBffClient = Client<paths>;

export function createWebBffClient(options: WebBffClientOptions): WebBffClient {
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    fetch: options.fetch,
    headers: options.token ? { Authorization: `Bearer ${options.token}` } : undefined,
  });
}
