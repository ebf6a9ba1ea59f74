import { randomUUID } from 'node:crypto';
import {
  isCardTypes,
  isCatalogBrands,
  isCatalogItem,
  isCatalogItems,
  isCatalogPage,
  isCatalogTypes,
  isCustomerBasket,
  isOrder,
  isOrderDraft,
  isOrderSummaries,
  type Check,
} from '@app/contracts';
import { CHECKOUT } from '@app/sample-kit/testing';
import { startContractDouble, type TestServer } from '@app/testing';
import { startSampleStack, type SampleStack } from './support/sample-stack';

const CATALOG_READS: Array<[string, Check<unknown>]> = [
  ['/api/v1/catalog/items?pageIndex=0&pageSize=10', isCatalogPage],
  ['/api/v1/catalog/items?ids=1,2,3', isCatalogItems],
  ['/api/v1/catalog/items/2', isCatalogItem],
  ['/api/v1/catalog/items/type/1/brand/1?pageIndex=0&pageSize=5', isCatalogPage],
  ['/api/v1/catalog/items/type/all/brand/2?pageIndex=0&pageSize=5', isCatalogPage],
  ['/api/v1/catalog/items/withname/item?pageIndex=0&pageSize=5', isCatalogPage],
  ['/api/v1/catalog/catalogtypes', isCatalogTypes],
  ['/api/v1/catalog/catalogbrands', isCatalogBrands],
];

async function getJson(base: string, path: string, token?: string, init: RequestInit = {}): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
  });
  expect(res.status).toBeLessThan(300);
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

const fits = (value: unknown, check: Check<unknown>) => (check(value) ? 'fits' : check.explain(value));

/** The contract's schemas (the ones the BFFs check answers with) also check the doubles and the sample services. */
describe('downstream answers fit the contract schemas', () => {
  let double: TestServer;
  let stack: SampleStack;
  beforeAll(async () => {
    double = await startContractDouble();
    stack = await startSampleStack();
  });
  afterAll(async () => {
    await double?.close();
    await stack?.close();
  });

  it.each(CATALOG_READS)('contract double and sample catalog: %s', async (path, check) => {
    expect(fits(await getJson(double.url, path), check)).toBe('fits');
    expect(fits(await getJson(stack.catalog.url, path), check)).toBe('fits');
  });

  it('sample basket and ordering: basket, orders, order, draft, card types', async () => {
    const buyer = `contract-${randomUUID()}`;
    const token = await stack.identity.token({ sub: buyer });
    const item = { id: randomUUID(), productId: 1, productName: 'Item', unitPrice: 10, oldUnitPrice: 10, quantity: 2, pictureUrl: '' };
    const stored = await getJson(stack.basket.url, '/api/v1/basket', token, {
      method: 'POST',
      body: JSON.stringify({ buyerId: buyer, items: [item] }),
    });
    expect(fits(stored, isCustomerBasket)).toBe('fits');
    expect(fits(await getJson(stack.basket.url, `/api/v1/basket/${buyer}`, token), isCustomerBasket)).toBe('fits');
    const draft = await getJson(stack.ordering.url, '/api/v1/orders/draft', token, {
      method: 'POST',
      body: JSON.stringify({ buyerId: buyer, items: [item] }),
    });
    expect(fits(draft, isOrderDraft)).toBe('fits');
    expect(fits(await getJson(stack.ordering.url, '/api/v1/orders/cardtypes', token), isCardTypes)).toBe('fits');
    await getJson(stack.basket.url, '/api/v1/basket/checkout', token, {
      method: 'POST',
      body: JSON.stringify({ ...CHECKOUT, buyer }),
      headers: { 'x-requestid': randomUUID() },
    });
    const orders = await getJson(stack.ordering.url, '/api/v1/orders', token);
    expect(fits(orders, isOrderSummaries)).toBe('fits');
    const [first] = orders as Array<{ orderNumber: number }>;
    expect(fits(await getJson(stack.ordering.url, `/api/v1/orders/${first.orderNumber}`, token), isOrder)).toBe('fits');
  });

  it('a bad answer is explained by its field path', () => {
    const page = {
      pageIndex: 0,
      pageSize: 1,
      count: 1,
      data: [{ id: 1, name: 'x', price: 'cheap', catalogTypeId: 1, catalogBrandId: 1, availableStock: 1 }],
    };
    expect(isCatalogPage(page)).toBe(false);
    expect(isCatalogPage.explain(page)).toBe('/data/0/price: Expected number');
  });
});
