import { BasketClient, CatalogClient, HttpTransport, OrderingClient, type TransportOptions } from '@app/downstream';
import { RequestContextStore, type RequestContext } from '@app/context';

/** Real typed clients against one base URL (a contract double), for composer and use-case specs; `over` tunes their transport. */
export function clientsFor(url: string, over: Partial<TransportOptions> = {}) {
  const transport = new HttpTransport({
    service: 'double',
    baseUrls: [url],
    attemptTimeoutMs: 1000,
    maxBodyBytes: 1 << 20,
    connections: 4,
    ...over,
  });
  return {
    transport,
    catalog: new CatalogClient(transport),
    baskets: new BasketClient(transport),
    ordering: new OrderingClient(transport),
    close: () => transport.close(),
  };
}

/** Runs `fn` as if inside a request, optionally as a signed-in buyer. */
export function asRequest<T>(fn: () => Promise<T>, over: Partial<RequestContext> & { sub?: string } = {}): Promise<T> {
  const { sub, ...rest } = over;
  const ctx: RequestContext = {
    requestId: 'spec',
    deadline: Date.now() + 2000,
    timings: [],
    ...(sub ? { principal: { sub, scopes: [] }, authorization: 'Bearer spec.token.x' } : {}),
    ...rest,
  };
  return RequestContextStore.run(ctx, fn);
}
