/**
 * Typed client of mobile-bff (the mobile app's BFF), generated from its OpenAPI document: `npm run sdk`
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
export type MobileProduct = Schemas['MobileProduct'];
export type MobileProductPage = Schemas['MobileProductPage'];
export type MobileProductDetail = Schemas['MobileProductDetail'];
export type MobileHome = Schemas['MobileHome'];
export type MobileBasket = Schemas['MobileBasket'];
export type MobileBasketLine = Schemas['MobileBasketLine'];
export type IdName = Schemas['IdName'];
export type AddItemRequest = Schemas['AddItemDto'];
export type UpdateItemsRequest = Schemas['UpdateItemsDto'];
export type CheckoutRequest = Schemas['CheckoutDto'];
export type CheckoutAccepted = Schemas['CheckoutAccepted'];
export type OrderSummary = Schemas['OrderSummary'];
export type MobileOrderPage = Schemas['MobileOrderPage'];

export type MobileBffClient = Client<paths>;

/** `createMobileBffClient({ baseUrl: 'http://localhost:4001', token })`. */
export function createMobileBffClient(options: BffClientOptions): MobileBffClient {
  return createBffClient<paths>(options);
}
