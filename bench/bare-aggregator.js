// The reference: the same fan-out, merge and trim as web-bff's /api/home and /api/basket, written on
// bare node:http + undici with nothing else (no framework, no validation, no auth check).
const http = require('node:http');
const { Pool } = require('undici');

const base = process.env.DOWNSTREAM_URL;
const pool = new Pool(base, { connections: 64 });
const getJson = async (path, headers = {}) => {
  const res = await pool.request({ method: 'GET', path, headers: { accept: 'application/json', ...headers } });
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new Error(String(res.statusCode));
  }
  return res.body.json();
};
const subOf = (auth) => JSON.parse(Buffer.from(auth.split('.')[1], 'base64url').toString()).sub;
const product = (i) => ({
  id: i.id,
  name: i.name,
  description: i.description,
  price: i.price,
  pictureUri: `/api/products/${i.id}/picture`,
  brand: i.catalogBrand?.brand ?? null,
  type: i.catalogType?.type ?? null,
  availableStock: i.availableStock,
});

async function home(req) {
  const auth = req.headers.authorization;
  const settle = (p) => p.then((v) => v, () => null);
  const [page, brands, types, basket] = await Promise.all([
    getJson('/api/v1/catalog/items?pageIndex=0&pageSize=12'),
    settle(getJson('/api/v1/catalog/catalogbrands')),
    settle(getJson('/api/v1/catalog/catalogtypes')),
    auth ? settle(getJson(`/api/v1/basket/${encodeURIComponent(subOf(auth))}`, { authorization: auth })) : null,
  ]);
  return {
    catalog: { pageIndex: page.pageIndex, pageSize: page.pageSize, count: page.count, items: page.data.map(product) },
    brands: brands && brands.map((b) => ({ id: b.id, name: b.brand })),
    types: types && types.map((t) => ({ id: t.id, name: t.type })),
    basket: basket && {
      itemCount: basket.items.reduce((n, i) => n + i.quantity, 0),
      total: basket.items.reduce((s, i) => s + i.unitPrice * i.quantity, 0),
    },
    degraded: [],
  };
}

async function basket(req) {
  const auth = req.headers.authorization;
  const b = await getJson(`/api/v1/basket/${encodeURIComponent(subOf(auth))}`, { authorization: auth });
  const prices = new Map((await getJson(`/api/v1/catalog/items?ids=${b.items.map((i) => i.productId).join(',')}`)).map((i) => [i.id, i]));
  const items = b.items.map((l) => {
    const unitPrice = prices.get(l.productId)?.price ?? l.unitPrice;
    return { id: l.id, productId: l.productId, productName: l.productName, unitPrice, oldUnitPrice: l.unitPrice, priceChanged: unitPrice !== l.unitPrice, quantity: l.quantity, pictureUri: `/api/products/${l.productId}/picture`, lineTotal: unitPrice * l.quantity, availableStock: prices.get(l.productId)?.availableStock ?? null };
  });
  return { buyerId: b.buyerId, items, itemCount: items.reduce((n, i) => n + i.quantity, 0), total: items.reduce((s, i) => s + i.lineTotal, 0), degraded: [] };
}

http
  .createServer(async (req, res) => {
    try {
      const body = JSON.stringify(req.url.startsWith('/api/home') ? await home(req) : await basket(req));
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
    } catch {
      res.writeHead(502).end();
    }
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
