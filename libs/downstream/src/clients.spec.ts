import { RequestContextStore } from '@app/context';
import { startContractDouble, type TestServer } from '@app/testing';
import { BasketClient } from './basket.client';
import { CatalogClient } from './catalog.client';
import { HttpTransport } from './http-transport';
import { OrderingClient } from './ordering.client';

/** The typed clients speak CONTRACTS.md §1 to an independent double over real HTTP. */
describe('typed clients', () => {
  let double: TestServer;
  let transport: HttpTransport;
  let catalog: CatalogClient;

  beforeAll(async () => {
    double = await startContractDouble();
    transport = new HttpTransport({
      service: 'catalog',
      baseUrls: [double.url],
      attemptTimeoutMs: 1000,
      maxBodyBytes: 1 << 20,
      connections: 2,
    });
    catalog = new CatalogClient(transport);
  });
  afterAll(async () => {
    await transport.close();
    await double.close();
  });

  it('CatalogClient reads pages, filters, items, brands and types on the contract paths', async () => {
    expect((await catalog.page({ pageIndex: 1, pageSize: 5 })).data.map((i) => i.id)).toEqual([6, 7, 8, 9, 10]);
    expect(double.requests.at(-1)?.url).toBe('/api/v1/catalog/items?pageIndex=1&pageSize=5');
    await catalog.page({ pageIndex: 0, pageSize: 5, brandId: 2, typeId: 3 });
    expect(double.requests.at(-1)?.url).toBe('/api/v1/catalog/items/type/3/brand/2?pageIndex=0&pageSize=5');
    await catalog.page({ pageIndex: 0, pageSize: 5, brandId: 2 });
    expect(double.requests.at(-1)?.url).toBe('/api/v1/catalog/items/type/all/brand/2?pageIndex=0&pageSize=5');
    await catalog.withName('a b/c', 0, 5);
    expect(double.requests.at(-1)?.url).toBe('/api/v1/catalog/items/withname/a%20b%2Fc?pageIndex=0&pageSize=5');
    expect((await catalog.byIds([3, 1, 3, 999])).map((i) => i.id).sort()).toEqual([1, 3]);
    expect(double.requests.at(-1)?.url).toBe('/api/v1/catalog/items?ids=3,1,999');
    expect(await catalog.byIds([])).toEqual([]);
    expect((await catalog.item(4))?.id).toBe(4);
    expect(await catalog.item(4242)).toBeNull();
    expect((await catalog.brands()).map((b) => b.brand)).toEqual(['Brand 1', 'Brand 2']);
    expect((await catalog.types()).length).toBe(3);
  });

  it('BasketClient and OrderingClient relay the caller token and the request id', async () => {
    const baskets = new BasketClient(transport);
    const ordering = new OrderingClient(transport);
    const ctx = { requestId: 'r-9', deadline: Date.now() + 1000, timings: [], authorization: 'Bearer x.y.z' };
    const basket = await RequestContextStore.run(ctx, () => baskets.get('buyer/1'));
    expect(basket).toEqual({ buyerId: 'buyer/1', items: [] });
    const call = double.requests.at(-1)!;
    expect(call.url).toBe('/api/v1/basket/buyer%2F1');
    expect(call.headers).toMatchObject({ authorization: 'Bearer x.y.z', 'x-request-id': 'r-9' });
    expect(await RequestContextStore.run(ctx, () => ordering.list())).toEqual([]);
    expect(double.requests.at(-1)?.headers.authorization).toBe('Bearer x.y.z');
  });
});
