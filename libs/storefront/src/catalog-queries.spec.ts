import { BasketClient, CatalogClient, HttpTransport } from '@app/downstream';
import { DOUBLE_ITEMS, startContractDouble, type TestServer } from '@app/testing';
import { CatalogQueries } from './catalog-queries';

/** Filters the contract cannot express in one call are composed exactly, page by page. */
describe('CatalogQueries', () => {
  let double: TestServer;
  let transport: HttpTransport;
  let queries: CatalogQueries;
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : 1);

  beforeAll(async () => {
    double = await startContractDouble();
    transport = new HttpTransport({
      service: 'catalog',
      baseUrls: [double.url],
      attemptTimeoutMs: 1000,
      maxBodyBytes: 1 << 20,
      connections: 4,
    });
    queries = new CatalogQueries(new CatalogClient(transport), new BasketClient(transport));
  });
  afterAll(async () => {
    await transport.close();
    await double.close();
  });

  it('pages a type-only filter by merging the per-brand pages in name order', async () => {
    const expected = DOUBLE_ITEMS.filter((i) => i.catalogTypeId === 2).sort(byName);
    const walked = [];
    for (let pageIndex = 0; pageIndex < 4; pageIndex++) {
      const page = await queries.page({ pageIndex, pageSize: 3, typeId: 2 });
      expect(page.count).toBe(expected.length);
      walked.push(...page.data);
    }
    expect(walked.map((i) => i.id)).toEqual(expected.map((i) => i.id));
  });

  it('applies brand and type filters to a name search', async () => {
    const page = await queries.page({ pageIndex: 0, pageSize: 10, q: 'item 1', brandId: 2 });
    const expected = DOUBLE_ITEMS.filter((i) => i.name.toLowerCase().startsWith('item 1') && i.catalogBrandId === 2);
    expect(page.count).toBe(expected.length);
    expect(page.data.map((i) => i.id)).toEqual(expected.map((i) => i.id));
  });

  it('uses the single contract route when it can', async () => {
    const before = double.requests.length;
    await queries.page({ pageIndex: 0, pageSize: 5, q: 'item' });
    await queries.page({ pageIndex: 0, pageSize: 5, brandId: 1, typeId: 1 });
    expect(double.requests.length - before).toBe(2);
  });
});
