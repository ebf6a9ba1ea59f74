// The reference: the same fan-out, merge and trim as the BFFs' screens, written on bare node:http +
// undici with nothing else (no framework, no validation, no limits, no logs). Tokens are verified
// (jose, JWKS) and remembered until they expire, as a lean hand-written aggregator would.
// BARE_MODE=web (default) serves web-bff's screens, BARE_MODE=mobile mobile-bff's.
const http = require('node:http');
const { Pool } = require('undici');
const { createRemoteJWKSet, jwtVerify } = require('jose');

const base = process.env.DOWNSTREAM_URL;
const mode = process.env.BARE_MODE ?? 'web';
const pool = new Pool(base, { connections: 64 });
const jwks = createRemoteJWKSet(new URL(`${base}/.well-known/jwks.json`));
const audience = mode === 'mobile' ? 'mobile-bff' : 'web-bff';
const verified = new Map();

async function buyerOf(req) {
  const auth = req.headers.authorization;
  if (!auth) return undefined;
  const token = auth.slice(7);
  const known = verified.get(token);
  if (known && known.exp * 1000 > Date.now()) return known.sub;
  const { payload } = await jwtVerify(token, jwks, { issuer: base, audience, algorithms: ['RS256'] });
  verified.set(token, { sub: payload.sub, exp: payload.exp });
  return payload.sub;
}

const getJson = async (path, headers = {}) => {
  const res = await pool.request({ method: 'GET', path, headers: { accept: 'application/json', ...headers } });
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new Error(String(res.statusCode));
  }
  return res.body.json();
};
const settle = (p) =>
  p.then(
    (v) => v,
    () => null,
  );
const basketOf = (buyer, req) => getJson(`/api/v1/basket/${encodeURIComponent(buyer)}`, { authorization: req.headers.authorization });
const picture = (id) => `/api/products/${id}/picture`;
const count = (basket) => basket.items.reduce((n, i) => n + i.quantity, 0);

const webProduct = (i) => ({
  id: i.id,
  name: i.name,
  description: i.description,
  price: i.price,
  pictureUri: picture(i.id),
  brand: i.catalogBrand?.brand ?? null,
  type: i.catalogType?.type ?? null,
  availableStock: i.availableStock,
});
const mobileProduct = (i) => ({ id: i.id, name: i.name, price: i.price, thumbnailUri: picture(i.id), inStock: i.availableStock > 0 });

async function pricedBasket(buyer, req) {
  const b = await basketOf(buyer, req);
  const ids = b.items.map((i) => i.productId).join(',');
  const prices = new Map((ids ? ((await settle(getJson(`/api/v1/catalog/items?ids=${ids}`))) ?? []) : []).map((i) => [i.id, i]));
  const items = b.items.map((l) => {
    const unitPrice = prices.get(l.productId)?.price ?? l.unitPrice;
    return {
      id: l.id,
      productId: l.productId,
      productName: l.productName,
      unitPrice,
      oldUnitPrice: l.unitPrice,
      priceChanged: unitPrice !== l.unitPrice,
      quantity: l.quantity,
      pictureUri: picture(l.productId),
      lineTotal: unitPrice * l.quantity,
      availableStock: prices.get(l.productId)?.availableStock ?? null,
    };
  });
  return { buyerId: b.buyerId, items, itemCount: count(b), total: items.reduce((s, i) => s + i.lineTotal, 0), degraded: [] };
}

async function productFor(id, buyer, req) {
  const [item, basket] = await Promise.all([getJson(`/api/v1/catalog/items/${id}`), buyer ? settle(basketOf(buyer, req)) : null]);
  const line = basket?.items.find((l) => l.productId === item.id);
  return { item, basketQuantity: buyer ? (line?.quantity ?? 0) : null };
}

const web = {
  async home(req, url, buyer) {
    const pageIndex = Number(url.searchParams.get('pageIndex') ?? 0);
    const pageSize = Number(url.searchParams.get('pageSize') ?? 12);
    const [page, brands, types, basket] = await Promise.all([
      getJson(`/api/v1/catalog/items?pageIndex=${pageIndex}&pageSize=${pageSize}`),
      settle(getJson('/api/v1/catalog/catalogbrands')),
      settle(getJson('/api/v1/catalog/catalogtypes')),
      buyer ? settle(basketOf(buyer, req)) : null,
    ]);
    return {
      catalog: { pageIndex: page.pageIndex, pageSize: page.pageSize, count: page.count, items: page.data.map(webProduct) },
      brands: brands && brands.map((b) => ({ id: b.id, name: b.brand })),
      types: types && types.map((t) => ({ id: t.id, name: t.type })),
      basket: basket && { itemCount: count(basket), total: basket.items.reduce((s, i) => s + i.unitPrice * i.quantity, 0) },
      degraded: [],
    };
  },
  async product(req, id, buyer) {
    const { item, basketQuantity } = await productFor(id, buyer, req);
    return { product: webProduct(item), basketQuantity, degraded: [] };
  },
  basket: (req, buyer) => pricedBasket(buyer, req),
};

const mobile = {
  async home(req, _url, buyer) {
    const [page, brands, basket] = await Promise.all([
      getJson('/api/v1/catalog/items?pageIndex=0&pageSize=10'),
      settle(getJson('/api/v1/catalog/catalogbrands')),
      buyer ? settle(basketOf(buyer, req)) : null,
    ]);
    return {
      featured: page.data.map(mobileProduct),
      brands: brands && brands.map((b) => ({ id: b.id, name: b.brand })),
      basketCount: basket ? count(basket) : null,
      degraded: [],
    };
  },
  async list(_req, url) {
    const limit = Number(url.searchParams.get('limit') ?? 20);
    const brandId = url.searchParams.get('brandId');
    const path = brandId ? `/api/v1/catalog/items/type/all/brand/${Number(brandId)}` : '/api/v1/catalog/items';
    const page = await getJson(`${path}?pageIndex=0&pageSize=${limit}`);
    return {
      items: page.data.map(mobileProduct),
      nextCursor: page.count > limit ? Buffer.from(String(limit)).toString('base64url') : null,
    };
  },
  async product(req, id, buyer) {
    const { item, basketQuantity } = await productFor(id, buyer, req);
    return {
      id: item.id,
      name: item.name,
      description: item.description,
      price: item.price,
      pictureUri: picture(item.id),
      inStock: item.availableStock > 0,
      basketQuantity,
      degraded: [],
    };
  },
  async basket(req, buyer) {
    const b = await pricedBasket(buyer, req);
    return {
      items: b.items.map((l) => ({
        id: l.id,
        productId: l.productId,
        name: l.productName,
        price: l.unitPrice,
        quantity: l.quantity,
        thumbnailUri: l.pictureUri,
      })),
      count: b.itemCount,
      total: b.total,
      degraded: [],
    };
  },
};

const screens = mode === 'mobile' ? mobile : web;

async function route(req) {
  const url = new URL(req.url, 'http://bare');
  const buyer = await buyerOf(req);
  if (url.pathname === '/api/home') return screens.home(req, url, buyer);
  if (url.pathname === '/api/basket') return screens.basket(req, buyer);
  if (url.pathname === '/api/products' && screens.list) return screens.list(req, url);
  const m = /^\/api\/products\/(\d+)$/.exec(url.pathname);
  if (m) return screens.product(req, Number(m[1]), buyer);
  return undefined;
}

http
  .createServer(async (req, res) => {
    try {
      const answer = await route(req);
      if (answer === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer));
    } catch {
      res.writeHead(502).end();
    }
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));

// A clean exit on SIGTERM, so that a run under --cpu-prof (BENCH_PROFILE=1) writes its profile.
process.once('SIGTERM', () => process.exit(0));
