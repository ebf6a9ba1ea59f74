import { createBasketApp } from '../../apps/basket-api/src/basket.app';
import { createCatalogApp } from '../../apps/catalog-api/src/catalog.app';
import { createOrderingApp } from '../../apps/ordering-api/src/ordering.app';
import { listen, TestIdentity, type RunningApp } from '@app/testing';

/** The sample downstream services, in process on loopback ports, with a test identity provider. */
export interface SampleStack {
  identity: TestIdentity;
  catalog: RunningApp;
  ordering: RunningApp;
  basket: RunningApp;
  /** The BFF environment pointing at this stack. */
  env: Record<string, string>;
  /** The services' URLs, for startBffRig's `downstreams`. */
  downstreams: { catalog: string; basket: string; ordering: string };
  close(): Promise<void>;
}

export async function startSampleStack(): Promise<SampleStack> {
  const identity = await TestIdentity.start();
  const auth = { jwksUrl: identity.jwksUrl, issuer: identity.issuer };
  const catalog = await listen(await createCatalogApp({ logger: false }));
  const ordering = await listen(await createOrderingApp({ auth, logger: false }));
  const basket = await listen(await createBasketApp({ auth, orderingUrl: ordering.url, logger: false }));
  return {
    identity,
    catalog,
    ordering,
    basket,
    downstreams: { catalog: catalog.url, basket: basket.url, ordering: ordering.url },
    env: {
      CATALOG_URL: catalog.url,
      BASKET_URL: basket.url,
      ORDERING_URL: ordering.url,
      AUTH_JWKS_URL: identity.jwksUrl,
      AUTH_ISSUER: identity.issuer,
    },
    close: async () => {
      await Promise.all([basket.close(), catalog.close()]);
      await ordering.close();
      await identity.close();
    },
  };
}
