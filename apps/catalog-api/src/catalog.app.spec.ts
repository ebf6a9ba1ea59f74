import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createCatalogApp } from './catalog.app';
import { compareByName } from './catalog/catalog-seed';

describe('catalog-api (over HTTP)', () => {
  let app: NestFastifyApplication;
  let base: string;

  const get = (path: string) => fetch(`${base}${path}`);
  // Test answers are checked field by field below, so `any` is the honest type here.
  const json = async (path: string, status = 200): Promise<any> => {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    return res.json();
  };

  beforeAll(async () => {
    app = await createCatalogApp();
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
    base = base.replace('[::1]', '127.0.0.1');
  });

  afterAll(() => app.close());

  it('pages through 1000 items ordered by name, with the total count', async () => {
    const first = await json('/api/v1/catalog/items');
    expect(first).toMatchObject({ pageIndex: 0, pageSize: 10, count: 1000 });
    expect(first.data).toHaveLength(10);

    const all = await json('/api/v1/catalog/items?pageIndex=0&pageSize=1000');
    expect(all.data).toHaveLength(1000);
    expect([...all.data].sort(compareByName)).toEqual(all.data);
    expect(new Set(all.data.map((i: { name: string }) => i.name)).size).toBe(1000);
    expect(new Set(all.data.map((i: { id: number }) => i.id))).toEqual(new Set(Array.from({ length: 1000 }, (_, i) => i + 1)));
    for (const item of all.data) {
      expect(item.description.length).toBeGreaterThanOrEqual(150);
      expect(item.description.length).toBeLessThanOrEqual(400);
    }
    expect(all.data.some((i: { availableStock: number }) => i.availableStock === 0)).toBe(true);

    const third = await json('/api/v1/catalog/items?pageIndex=2&pageSize=7');
    expect(third.data).toEqual(all.data.slice(14, 21));
    const past = await json('/api/v1/catalog/items?pageIndex=500&pageSize=10');
    expect(past).toEqual({ pageIndex: 500, pageSize: 10, count: 1000, data: [] });
  });

  it('rejects bad paging with 400 { title, status }', async () => {
    for (const q of ['pageSize=0', 'pageSize=1001', 'pageIndex=-1', 'pageIndex=abc', 'pageSize=2.5']) {
      const body = await json(`/api/v1/catalog/items?${q}`, 400);
      expect(body).toMatchObject({ title: 'Bad Request', status: 400 });
    }
  });

  it('serves the eShop items with the full CatalogItem shape', async () => {
    const item = await json('/api/v1/catalog/items/1');
    expect(item).toEqual({
      id: 1,
      name: '.NET Bot Black Hoodie',
      description: expect.any(String),
      price: 19.5,
      pictureFileName: '1.png',
      pictureUri: `${base}/api/v1/catalog/items/1/pic`,
      catalogTypeId: 2,
      catalogType: { id: 2, type: 'T-Shirt' },
      catalogBrandId: 2,
      catalogBrand: { id: 2, brand: '.NET' },
      availableStock: expect.any(Number),
      restockThreshold: expect.any(Number),
      maxStockThreshold: expect.any(Number),
      onReorder: expect.any(Boolean),
    });
    expect((await json('/api/v1/catalog/items/9')).name).toBe('Cup<T> White Mug');
    expect((await json('/api/v1/catalog/items/13')).availableStock).toBe(0);
  });

  it('answers 404 for a missing item and 400 for a non-integer id', async () => {
    expect(await json('/api/v1/catalog/items/1001', 404)).toMatchObject({ title: 'Not Found', status: 404 });
    expect(await json('/api/v1/catalog/items/abc', 400)).toMatchObject({ status: 400 });
    expect(await json('/api/v1/nothing-here', 404)).toMatchObject({ status: 404 });
  });

  it('filters by ids, ignoring unknown ones, and rejects non-integers', async () => {
    const items = await json('/api/v1/catalog/items?ids=3,1,999999,2');
    expect(Array.isArray(items)).toBe(true);
    expect(items.map((i: { id: number }) => i.id).sort()).toEqual([1, 2, 3]);
    expect(await json('/api/v1/catalog/items?ids=')).toEqual([]);
    expect(await json('/api/v1/catalog/items?ids=1,x', 400)).toMatchObject({ status: 400 });
    expect(await json('/api/v1/catalog/items?ids=1,2.5', 400)).toMatchObject({ status: 400 });
  });

  it('filters by type and brand, and by brand alone', async () => {
    const both = await json('/api/v1/catalog/items/type/1/brand/2?pageSize=1000');
    expect(both.count).toBeGreaterThan(0);
    expect(both.data).toHaveLength(both.count);
    expect(both.data.every((i: { catalogTypeId: number; catalogBrandId: number }) => i.catalogTypeId === 1 && i.catalogBrandId === 2)).toBe(
      true,
    );

    const brand = await json('/api/v1/catalog/items/type/all/brand/5?pageIndex=1&pageSize=5');
    expect(brand).toMatchObject({ pageIndex: 1, pageSize: 5 });
    expect(brand.count).toBeGreaterThan(both.count);
    expect(brand.data.every((i: { catalogBrandId: number }) => i.catalogBrandId === 5)).toBe(true);

    expect(await json('/api/v1/catalog/items/type/x/brand/1', 400)).toMatchObject({ status: 400 });
  });

  it('finds items whose name starts with a prefix, case-insensitively', async () => {
    const res = await json(`/api/v1/catalog/items/withname/${encodeURIComponent('cup<t>')}?pageSize=100`);
    expect(res.count).toBeGreaterThanOrEqual(2);
    expect(res.data.map((i: { name: string }) => i.name)).toEqual(expect.arrayContaining(['Cup<T> White Mug', 'Cup<T> Sheet']));
    expect(res.data.every((i: { name: string }) => i.name.toLowerCase().startsWith('cup<t>'))).toBe(true);
    expect(await json('/api/v1/catalog/items/withname/zzzz')).toEqual({ pageIndex: 0, pageSize: 10, count: 0, data: [] });
  });

  it('lists types and brands', async () => {
    expect(await json('/api/v1/catalog/catalogtypes')).toEqual([
      { id: 1, type: 'Mug' },
      { id: 2, type: 'T-Shirt' },
      { id: 3, type: 'Sheet' },
      { id: 4, type: 'USB Memory Stick' },
    ]);
    expect(await json('/api/v1/catalog/catalogbrands')).toEqual([
      { id: 1, brand: 'Azure' },
      { id: 2, brand: '.NET' },
      { id: 3, brand: 'Visual Studio' },
      { id: 4, brand: 'SQL Server' },
      { id: 5, brand: 'Other' },
    ]);
  });

  it('serves a distinct PNG per item, 404 for a missing one', async () => {
    const res = await get('/api/v1/catalog/items/1/pic');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await res.arrayBuffer());
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(8);
    const other = Buffer.from(await (await get('/api/v1/catalog/items/2/pic')).arrayBuffer());
    expect(other.equals(png)).toBe(false);
    expect(await json('/api/v1/catalog/items/1001/pic', 404)).toMatchObject({ status: 404 });
  });

  it('uses the configured picture base URL when one is given', async () => {
    const pinned = await createCatalogApp({ pictureBaseUrl: 'http://catalog.internal:5101/' });
    try {
      await pinned.listen(0, '127.0.0.1');
      const res = await fetch(`${(await pinned.getUrl()).replace('[::1]', '127.0.0.1')}/api/v1/catalog/items/5`);
      expect(((await res.json()) as { pictureUri: string }).pictureUri).toBe('http://catalog.internal:5101/api/v1/catalog/items/5/pic');
    } finally {
      await pinned.close();
    }
  });
});
