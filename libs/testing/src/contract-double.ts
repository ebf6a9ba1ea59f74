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

export async function startContractDouble(opts: ContractDoubleOptions = {}): Promise<TestServer> {
  const baskets = new Map<string, unknown>();
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
      if (ids) return sendJson(res, 200, DOUBLE_ITEMS.filter((i) => ids.split(',').map(Number).includes(i.id)));
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
    if (path === '/api/v1/catalog/catalogbrands') return sendJson(res, 200, [{ id: 1, brand: 'Brand 1' }, { id: 2, brand: 'Brand 2' }]);
    if (path === '/api/v1/catalog/catalogtypes') return sendJson(res, 200, [1, 2, 3].map((id) => ({ id, type: `Type ${id}` })));
    if ((m = path.match(/^\/api\/v1\/basket\/([^/]+)$/)) && req.method === 'GET') {
      return sendJson(res, 200, baskets.get(m[1]) ?? { buyerId: decodeURIComponent(m[1]), items: [] });
    }
    if (path === '/api/v1/basket' && req.method === 'POST') {
      const basket = JSON.parse(req.body) as { buyerId: string };
      baskets.set(encodeURIComponent(basket.buyerId), basket);
      return sendJson(res, 200, basket);
    }
    if (path === '/api/v1/orders') return sendJson(res, 200, []);
    sendJson(res, 404, { title: 'Not Found' });
  });
}
