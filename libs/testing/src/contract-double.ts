import type { ServerResponse } from 'node:http';
import { sendJson, sleep, startTestServer, type TestServer } from './test-server';

/** A tiny, independent implementation of the downstream contract (catalog + basket + ordering on one port). */
export interface ContractDoubleOptions {
  /** Delay before every answer. */
  delayMs?: number;
  /** Per-request override: return true when the fault handled the response. */
  fault?: (path: string, res: ServerResponse) => boolean | Promise<boolean>;
}

export const DOUBLE_ITEMS = Array.from({ length: 30 }, (_, i) => {
  const id = i + 1;
  const typeId = (i % 3) + 1;
  const brandId = (i % 2) + 1;
  return {
    id,
    name: `Item ${String(id).padStart(2, '0')}`,
    description: `Description of item ${id}`,
    price: 10 + id,
    pictureFileName: `${id}.png`,
    pictureUri: `http://internal-catalog.svc.cluster.local/api/v1/catalog/items/${id}/pic`,
    catalogTypeId: typeId,
    catalogType: { id: typeId, type: `Type ${typeId}` },
    catalogBrandId: brandId,
    catalogBrand: { id: brandId, brand: `Brand ${brandId}` },
    availableStock: id % 5,
    restockThreshold: 1,
    maxStockThreshold: 10,
    onReorder: false,
  };
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function startContractDouble(opts: ContractDoubleOptions = {}): Promise<TestServer> {
  const baskets = new Map<
    string,
    { buyerId: string; items: Array<{ productId: number; productName: string; unitPrice: number; quantity: number }> }
  >();
  // Checkout as the contract has it: one order per x-requestid; a key seen before answers 202 again.
  const checkouts = new Set<string>();
  const orders: Array<Record<string, unknown>> = [];
  return startTestServer(async (req, res) => {
    if (opts.delayMs) await sleep(opts.delayMs);
    const url = new URL(req.url ?? '/', 'http://double');
    const path = url.pathname;
    if (opts.fault && (await opts.fault(path, res))) return;
    const pageIndex = Number(url.searchParams.get('pageIndex') ?? 0);
    const pageSize = Number(url.searchParams.get('pageSize') ?? 10);
    const page = (items: typeof DOUBLE_ITEMS) =>
      sendJson(res, 200, { pageIndex, pageSize, count: items.length, data: items.slice(pageIndex * pageSize, (pageIndex + 1) * pageSize) });
    let m: RegExpMatchArray | null;
    if (path === '/api/v1/catalog/items') {
      const ids = url.searchParams.get('ids');
      if (ids)
        return sendJson(
          res,
          200,
          DOUBLE_ITEMS.filter((i) => ids.split(',').map(Number).includes(i.id)),
        );
      return page(DOUBLE_ITEMS);
    }
    if ((m = path.match(/^\/api\/v1\/catalog\/items\/(\d+)$/))) {
      const item = DOUBLE_ITEMS.find((i) => i.id === Number(m![1]));
      return item ? sendJson(res, 200, item) : sendJson(res, 404, { title: 'Not Found' });
    }
    if ((m = path.match(/^\/api\/v1\/catalog\/items\/type\/(\d+|all)\/brand\/(\d+)$/))) {
      const [, t, b] = m;
      return page(DOUBLE_ITEMS.filter((i) => (t === 'all' || i.catalogTypeId === Number(t)) && i.catalogBrandId === Number(b)));
    }
    if ((m = path.match(/^\/api\/v1\/catalog\/items\/withname\/(.+)$/))) {
      const prefix = decodeURIComponent(m[1]).toLowerCase();
      return page(DOUBLE_ITEMS.filter((i) => i.name.toLowerCase().startsWith(prefix)));
    }
    if (path === '/api/v1/catalog/catalogbrands')
      return sendJson(res, 200, [
        { id: 1, brand: 'Brand 1' },
        { id: 2, brand: 'Brand 2' },
      ]);
    if (path === '/api/v1/catalog/catalogtypes')
      return sendJson(
        res,
        200,
        [1, 2, 3].map((id) => ({ id, type: `Type ${id}` })),
      );
    if ((m = path.match(/^\/api\/v1\/basket\/([^/]+)$/)) && req.method === 'GET') {
      return sendJson(res, 200, baskets.get(m[1]) ?? { buyerId: decodeURIComponent(m[1]), items: [] });
    }
    if (path === '/api/v1/basket/checkout' && req.method === 'POST') {
      const key = req.headers['x-requestid'];
      if (typeof key !== 'string' || !UUID.test(key)) return sendJson(res, 400, { title: 'x-requestid must be a UUID' });
      if (checkouts.has(key.toLowerCase())) return void res.writeHead(202).end();
      const { buyer, ...address } = JSON.parse(req.body) as { buyer: string; street: string };
      const basket = baskets.get(encodeURIComponent(buyer));
      if (!basket || basket.items.length === 0) return sendJson(res, 400, { title: 'The basket is empty' });
      checkouts.add(key.toLowerCase());
      orders.push({
        orderNumber: orders.length + 1,
        date: new Date().toISOString(),
        status: 'submitted',
        description: null,
        ...address,
        orderItems: basket.items.map((i) => ({
          productId: i.productId,
          productName: i.productName,
          units: i.quantity,
          unitPrice: i.unitPrice,
          pictureUrl: '',
        })),
        total: basket.items.reduce((sum, i) => sum + i.unitPrice * i.quantity, 0),
      });
      baskets.delete(encodeURIComponent(buyer));
      return void res.writeHead(202).end();
    }
    if (path === '/api/v1/basket' && req.method === 'POST') {
      const basket = JSON.parse(req.body) as { buyerId: string; items: [] };
      baskets.set(encodeURIComponent(basket.buyerId), basket);
      return sendJson(res, 200, basket);
    }
    if (path === '/api/v1/orders') {
      return sendJson(
        res,
        200,
        orders.map((o) => ({ orderNumber: o.orderNumber, date: o.date, status: o.status, total: o.total })),
      );
    }
    if ((m = path.match(/^\/api\/v1\/orders\/(\d+)$/))) {
      const order = orders[Number(m[1]) - 1];
      return order ? sendJson(res, 200, order) : sendJson(res, 404, { title: 'Not Found' });
    }
    if (path === '/api/v1/orders/cancel' && req.method === 'PUT') return sendJson(res, 200, {});
    sendJson(res, 404, { title: 'Not Found' });
  });
}
