// A fast stand-in for catalog, basket and ordering (one port) plus a JWKS, for the benchmark only:
// every answer is serialised once and kept, so the double costs as little CPU as possible.
const http = require('node:http');
const { items, basketOf, BRANDS, TYPES } = require('./mix');

const jwk = JSON.parse(process.env.BENCH_JWK);
const byId = new Map(items.map((i) => [i.id, i]));
const answers = new Map([
  ['/api/v1/catalog/catalogbrands', JSON.stringify(Array.from({ length: BRANDS }, (_, i) => ({ id: i + 1, brand: `Brand ${i + 1}` })))],
  ['/api/v1/catalog/catalogtypes', JSON.stringify(Array.from({ length: TYPES }, (_, i) => ({ id: i + 1, type: `Type ${i + 1}` })))],
  ['/.well-known/jwks.json', JSON.stringify({ keys: [jwk] })],
]);

function page(list, params) {
  const pageIndex = Number(params.get('pageIndex') ?? 0);
  const pageSize = Number(params.get('pageSize') ?? 10);
  return JSON.stringify({ pageIndex, pageSize, count: list.length, data: list.slice(pageIndex * pageSize, (pageIndex + 1) * pageSize) });
}

function answer(url) {
  const [path, query = ''] = url.split('?');
  const params = new URLSearchParams(query);
  if (path === '/api/v1/catalog/items') {
    if (params.has('ids'))
      return JSON.stringify(
        params
          .get('ids')
          .split(',')
          .map(Number)
          .map((id) => byId.get(id))
          .filter(Boolean),
      );
    return page(items, params);
  }
  let m = /^\/api\/v1\/catalog\/items\/(\d+)$/.exec(path);
  if (m) return byId.has(Number(m[1])) ? JSON.stringify(byId.get(Number(m[1]))) : undefined;
  m = /^\/api\/v1\/catalog\/items\/type\/(all|\d+)\/brand\/(\d+)$/.exec(path);
  if (m) {
    const [, type, brand] = m;
    return page(
      items.filter((i) => i.catalogBrandId === Number(brand) && (type === 'all' || i.catalogTypeId === Number(type))),
      params,
    );
  }
  m = /^\/api\/v1\/basket\/([^/]+)$/.exec(path);
  if (m) return JSON.stringify(basketOf(decodeURIComponent(m[1])));
  return undefined;
}

http
  .createServer((req, res) => {
    let body = answers.get(req.url);
    if (body === undefined) {
      body = answer(req.url);
      // Bounded: the mixes ask a few thousand distinct URLs at most.
      if (body !== undefined && answers.size < 50_000) answers.set(req.url, body);
    }
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
