import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { createBasketApp } from '../apps/basket-api/src/basket.app';
import { createCatalogApp } from '../apps/catalog-api/src/catalog.app';
import { createIdentityApp } from '../apps/identity-api/src/identity.app';
import { createOrderingApp } from '../apps/ordering-api/src/ordering.app';
import { createWebBff } from '../apps/web-bff/src/web-bff.app';
import { listen, startBff, type RunningApp } from '@app/testing';

// The SPA's static server is plain JS (the build copies it as is to dist/apps/web-spa/main.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { spaHandler } = require('../apps/web-spa/server/spa-server.js') as {
  spaHandler(o: { root: string; config: { webBffUrl: string; identityUrl: string } }): (req: IncomingMessage, res: ServerResponse) => void;
};

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SPA_ROOT = join(__dirname, '..', 'dist', 'apps', 'web-spa', 'public');
const ISSUER = 'http://identity.test';

/** The whole system a shopper uses: the real identity (password grant), the sample services, web-bff, the built SPA. */
export interface ShopStack {
  spa: string;
  identity: RunningApp;
  catalog: RunningApp;
  basket: RunningApp;
  ordering: RunningApp;
  bff: RunningApp;
  /** A web-bff token the way the SPA gets one (for arranging data behind the SPA's back). */
  token(username: string): Promise<string>;
  close(): Promise<void>;
}

export async function startShopStack(): Promise<ShopStack> {
  if (!existsSync(join(SPA_ROOT, 'index.html'))) {
    throw new Error(`The SPA is not built (${SPA_ROOT}/index.html missing): run npm run build:spa (npm test does it first)`);
  }
  // The SPA's origin must be known before web-bff and identity start (their CORS allow-lists), and
  // their URLs before the SPA is served: listen first, attach the handler last.
  const spaServer: Server = createServer();
  await new Promise<void>((r) => spaServer.listen(0, '127.0.0.1', r));
  const spa = `http://127.0.0.1:${(spaServer.address() as AddressInfo).port}`;

  const identity = await listen(await createIdentityApp({ issuer: ISSUER, corsOrigins: [spa], logger: false }));
  const auth = { jwksUrl: `${identity.url}/.well-known/jwks.json`, issuer: ISSUER };
  const catalog = await listen(await createCatalogApp({ logger: false }));
  const ordering = await listen(await createOrderingApp({ auth, logger: false }));
  const basket = await listen(await createBasketApp({ auth, orderingUrl: ordering.url, logger: false }));
  const bff = await startBff('web-bff', createWebBff, {
    CATALOG_URL: catalog.url,
    BASKET_URL: basket.url,
    ORDERING_URL: ordering.url,
    AUTH_JWKS_URL: auth.jwksUrl,
    AUTH_ISSUER: ISSUER,
    CORS_ORIGINS: spa,
  });
  spaServer.on('request', spaHandler({ root: SPA_ROOT, config: { webBffUrl: bff.url, identityUrl: identity.url } }));

  const closeSpa = () => new Promise<void>((r) => (spaServer.closeAllConnections(), spaServer.close(() => r())));
  return {
    spa,
    identity,
    catalog,
    basket,
    ordering,
    bff,
    async token(username) {
      const res = await fetch(`${identity.url}/connect/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'password', username, password: 'Pass123$', client_id: 'web-spa' }),
      });
      return ((await res.json()) as { access_token: string }).access_token;
    },
    async close() {
      await closeSpa();
      await bff.close();
      // basket may already be stopped by a degraded-journey test
      await Promise.allSettled([basket.close(), catalog.close()]);
      await ordering.close();
      await identity.close();
    },
  };
}

/** Debian's Chromium, headless, in a fresh profile; fails (never skips) when it is not installed. */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: the browser tests need it (apt-get install -y chromium; .ci/run installs it)`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'web-spa-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 20_000,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
