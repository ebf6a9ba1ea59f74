/**
 * Typed client of web-bff (the SPA's BFF), generated from its OpenAPI document: `npm run sdk`
 * regenerates openapi.json and openapi.d.ts; this file only names the types and makes the client.
 */
import type { Client } from 'openapi-fetch';
import { createBffClient, type BffClientOptions } from '../shared/bff-client';
import type { components, operations, paths } from './openapi';

export type { BffClientOptions, TokenSource } from '../shared/bff-client';
export type { components, operations, paths };

type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];
export type ProblemFieldError = Schemas['ProblemFieldError'];
export type WebProduct = Schemas['WebProduct'];
export type WebCatalogPage = Schemas['WebCatalogPage'];
export type WebHome = Schemas['WebHome'];
export type WebProductPage = Schemas['WebProductPage'];
export type WebProductDetail = Schemas['WebProductDetail'];
export type WebBasket = Schemas['WebBasket'];
export type WebBasketLine = Schemas['WebBasketLine'];
export type BasketSummary = Schemas['BasketSummary'];
export type IdName = Schemas['IdName'];
export type AddItemRequest = Schemas['AddItemDto'];
export type UpdateItemsRequest = Schemas['UpdateItemsDto'];
export type CheckoutRequest = Schemas['CheckoutDto'];
export type CheckoutDraft = Schemas['CheckoutDraft'];
export type CheckoutDraftLine = Schemas['CheckoutDraftLine'];
export type CheckoutAccepted = Schemas['CheckoutAccepted'];
export type OrderSummary = Schemas['OrderSummary'];
export type WebOrderList = Schemas['WebOrderList'];
export type WebOrder = Schemas['WebOrder'];
export type WebOrderLine = Schemas['WebOrderLine'];
export type CancelledOrder = Schemas['CancelledOrder'];

// Names the SPA was first written against.
export type WebBasketItem = WebBasketLine;
export type Checkout = CheckoutRequest;
export type Order = WebOrder;
export type WebBffClientOptions = BffClientOptions;

export type WebBffClient = Client<paths>;

/** `createWebBffClient({ baseUrl: 'http://localhost:4000', token: () => session.token })`. */
export function createWebBffClient(options: BffClientOptions): WebBffClient {
  return createBffClient<paths>(options);
}
