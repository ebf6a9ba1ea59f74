import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { listen, type RunningApp } from '@app/testing';
import type { SampleAuthOptions } from './sample-auth.options';

// Test helpers for the sample services' specs; kept out of index.ts so production code never loads them.

export const TEST_ISSUER = 'http://identity.test';

/** A valid CONTRACTS.md §1 BasketCheckout body. */
export const CHECKOUT = {
  city: 'Redmond',
  street: '15703 NE 61st Ct',
  state: 'WA',
  country: 'U.S.',
  zipCode: '98052',
  cardNumber: '4012888888881881',
  cardHolderName: 'Alice Smith',
  cardExpiration: '2030-12-01',
  cardSecurityNumber: '123',
  cardTypeId: 2,
  buyer: 'Alice Smith',
};

/** A valid CONTRACTS.md §1 BasketItem with a fresh id. */
export const basketItem = (productId: number, quantity: number, unitPrice: number) => ({
  id: randomUUID(),
  productId,
  productName: `Product ${productId}`,
  unitPrice,
  oldUnitPrice: unitPrice,
  quantity,
  pictureUrl: `http://catalog.internal/api/v1/catalog/items/${productId}/pic`,
});

export interface JsonRequestOptions {
  token?: string;
  body?: unknown;
  requestId?: string;
}

/** One JSON call; answers are checked field by field, so `any` is the honest type for the parsed body. */
export async function requestJson(
  base: string,
  method: string,
  path: string,
  opts: JsonRequestOptions = {},
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.requestId) headers['x-requestid'] = opts.requestId;
  const res = await fetch(`${base}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export interface SampleIdentity extends RunningApp {
  /** What a sample service needs to accept this identity's tokens. */
  auth: SampleAuthOptions;
  /** Demo-user tokens: alice and bob from the web client, bob again from the mobile client. */
  tokens: { alice: string; bob: string; bobMobile: string };
}

/**
 * Starts the real identity-api on loopback and signs the demo users in. The factory is passed in
 * so this library does not depend on an app.
 */
export async function startSampleIdentity(
  createIdentityApp: (options: { issuer: string }) => Promise<NestFastifyApplication>,
): Promise<SampleIdentity> {
  const running = await listen(await createIdentityApp({ issuer: TEST_ISSUER }));
  const token = async (username: string, clientId: string): Promise<string> => {
    const res = await fetch(`${running.url}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username, password: 'Pass123$', client_id: clientId }).toString(),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const [alice, bob, bobMobile] = await Promise.all([token('alice', 'web-spa'), token('bob', 'web-spa'), token('bob', 'mobile-app')]);
  return {
    ...running,
    auth: { jwksUrl: `${running.url}/.well-known/jwks.json`, issuer: TEST_ISSUER },
    tokens: { alice, bob, bobMobile },
  };
}
