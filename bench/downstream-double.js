// A fast stand-in for catalog, basket and ordering (one port) plus a JWKS, for the benchmark only:
// answers are pre-serialised so the double costs as little CPU as possible.
const http = require('node:http');

const jwk = JSON.parse(process.env.BENCH_JWK);
const items = Array.from({ length: 50 }, (_, i) => ({
  id: i + 1,
  name: `Product ${String(i + 1).padStart(3, '0')}`,
  description: 'A realistic description of a product, long enough to look like what a real catalog sends to its clients every day.',
  price: 10 + i,
  pictureFileName: `${i + 1}.png`,
  pictureUri: `http://catalog.internal/api/v1/catalog/items/${i + 1}/pic`,
  catalogTypeId: (i % 4) + 1,
  catalogType: { id: (i % 4) + 1, type: 'Mug' },
  catalogBrandId: (i % 5) + 1,
  catalogBrand: { id: (i % 5) + 1, brand: '.NET' },
  availableStock: 100,
  restockThreshold: 10,
  maxStockThreshold: 200,
  onReorder: false,
}));
const answers = {
  page: JSON.stringify({ pageIndex: 0, pageSize: 12, count: 1000, data: items.slice(0, 12) }),
  brands: JSON.stringify([1, 2, 3, 4, 5].map((id) => ({ id, brand: `Brand ${id}` }))),
  types: JSON.stringify([1, 2, 3, 4].map((id) => ({ id, type: `Type ${id}` }))),
  ids: JSON.stringify(items.slice(0, 3)),
  jwks: JSON.stringify({ keys: [jwk] }),
};
const basketFor = (buyerId) =>
  JSON.stringify({
    buyerId,
    items: items.slice(0, 3).map((p, i) => ({
      id: `line-${i}`,
      productId: p.id,
      productName: p.name,
      unitPrice: p.price,
      oldUnitPrice: p.price,
      quantity: 2,
      pictureUrl: p.pictureUri,
    })),
  });

http
  .createServer((req, res) => {
    const url = req.url;
    let body;
    if (url.startsWith('/api/v1/catalog/items?ids=')) body = answers.ids;
    else if (url.startsWith('/api/v1/catalog/items?')) body = answers.page;
    else if (url === '/api/v1/catalog/catalogbrands') body = answers.brands;
    else if (url === '/api/v1/catalog/catalogtypes') body = answers.types;
    else if (url.startsWith('/api/v1/basket/')) body = basketFor(decodeURIComponent(url.slice('/api/v1/basket/'.length)));
    else if (url === '/.well-known/jwks.json') body = answers.jwks;
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
