import type { ServerResponse } from 'node:http';
import { CatalogQueries } from '@app/storefront';
import { asRequest, clientsFor, startContractDouble, type TestServer } from '@app/testing';
import { HomeComposer } from './home.composer';

describe('HomeComposer', () => {
  let double: TestServer;
  let clients: ReturnType<typeof clientsFor>;
  let composer: HomeComposer;
  let fault: (path: string, res: ServerResponse) => boolean = () => false;

  beforeAll(async () => {
    double = await startContractDouble({ fault: (p, r) => fault(p, r) });
    clients = clientsFor(double.url);
    composer = new HomeComposer(new CatalogQueries(clients.catalog, clients.baskets), clients.catalog, clients.baskets);
  });
  afterEach(() => (fault = () => false));
  afterAll(async () => {
    await clients.close();
    await double.close();
  });

  it('shapes the catalog page, brands and types, with no basket for an anonymous caller', async () => {
    const home = await asRequest(() => composer.compose({ pageSize: 2 }));
    expect(home.catalog).toMatchObject({ pageIndex: 0, pageSize: 2, count: 30 });
    expect(home.catalog.items[0]).toEqual({
      id: 1,
      name: 'Item 01',
      description: 'Description of item 1',
      price: 11,
      pictureUri: '/api/products/1/picture',
      brand: 'Brand 1',
      type: 'Type 1',
      availableStock: 1,
    });
    expect(home.brands).toEqual([
      { id: 1, name: 'Brand 1' },
      { id: 2, name: 'Brand 2' },
    ]);
    expect(home.basket).toBeNull();
    expect(home.degraded).toEqual([]);
    expect(double.requests.some((r) => r.url.startsWith('/api/v1/basket'))).toBe(false);
  });

  it('adds the basket summary for a signed-in caller and degrades it alone when basket fails', async () => {
    expect((await asRequest(() => composer.compose({}), { sub: 'bea' })).basket).toEqual({ itemCount: 0, total: 0 });
    fault = (path, res) => path.startsWith('/api/v1/basket') && (res.writeHead(503).end(), true);
    const home = await asRequest(() => composer.compose({}), { sub: 'bea' });
    expect(home.basket).toBeNull();
    expect(home.degraded).toEqual(['basket']);
    expect(home.catalog.items.length).toBe(12);
  });
});
