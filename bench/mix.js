// The realistic mix of `npm run bench`: many buyers with their own tokens and baskets, varied pages and
// ids, so that few identical requests are in flight together (a single URL from 32 connections is
// mostly coalesced and flatters any BFF). Shared by the downstream double, the bare aggregators and
// the load generator so all three agree on the catalog and the baskets.

const CATALOG_SIZE = 1000;
const BRANDS = 10;
const TYPES = 8;
const BUYERS = 300;

/** The double's catalog: sorted by name (= by id), stable across processes. */
const items = Array.from({ length: CATALOG_SIZE }, (_, i) => {
  const id = i + 1;
  const typeId = (id % TYPES) + 1;
  const brandId = (id % BRANDS) + 1;
  return {
    id,
    name: `Product ${String(id).padStart(4, '0')}`,
    description: 'A realistic description of a product, long enough to look like what a real catalog sends to its clients every day.',
    price: 5 + (id % 90) + 0.5,
    pictureFileName: `${id}.png`,
    pictureUri: `http://catalog.internal/api/v1/catalog/items/${id}/pic`,
    catalogTypeId: typeId,
    catalogType: { id: typeId, type: `Type ${typeId}` },
    catalogBrandId: brandId,
    catalogBrand: { id: brandId, brand: `Brand ${brandId}` },
    availableStock: id % 17 === 0 ? 0 : 100,
    restockThreshold: 10,
    maxStockThreshold: 200,
    onReorder: false,
  };
});

function hash(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Buyer n's basket: 1–4 lines, some added at an older price (so `priceChanged` shows up). */
function basketOf(buyerId) {
  const h = hash(buyerId);
  const lines = 1 + (h % 4);
  return {
    buyerId,
    items: Array.from({ length: lines }, (_, i) => {
      const p = items[(h >>> (i * 3)) % CATALOG_SIZE];
      return {
        id: `${buyerId}-line-${i}`,
        productId: p.id,
        productName: p.name,
        unitPrice: (h >> i) & 1 ? p.price : p.price - 1,
        oldUnitPrice: p.price,
        quantity: 1 + ((h >>> i) % 3),
        pictureUrl: p.pictureUri,
      };
    }),
  };
}

const buyerIds = Array.from({ length: BUYERS }, (_, i) => `mix-buyer-${String(i + 1).padStart(3, '0')}`);

/** A seeded PRNG (mulberry32): the same run of requests every time. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks from [[weight, make], …] with weights summing to 1. */
function weighted(random, table) {
  let r = random();
  for (const [w, make] of table) {
    if ((r -= w) < 0) return make;
  }
  return table[table.length - 1][1];
}

/**
 * The request mixes, as functions of (random, tokens) → { path, headers }. `tokens[i]` is buyer i's
 * bearer token for that BFF's audience.
 */
const mixes = {
  // 300 buyers; 30% home anonymous (pages 0–39), 20% home signed in, 15% product anonymous,
  // 10% product signed in, 25% priced basket.
  web: (random, tokens) => {
    const buyer = () => ({ authorization: `Bearer ${tokens[Math.floor(random() * tokens.length)]}` });
    const page = () => Math.floor(random() * 40);
    const id = () => 1 + Math.floor(random() * CATALOG_SIZE);
    return weighted(random, [
      [0.3, () => ({ path: `/api/home?pageIndex=${page()}&pageSize=12`, headers: {} })],
      [0.2, () => ({ path: `/api/home?pageIndex=${page()}&pageSize=12`, headers: buyer() })],
      [0.15, () => ({ path: `/api/products/${id()}`, headers: {} })],
      [0.1, () => ({ path: `/api/products/${id()}`, headers: buyer() })],
      [0.25, () => ({ path: '/api/basket', headers: buyer() })],
    ])();
  },
  // The mobile app's screens: 25% home anonymous, 15% home signed in, 15% a brand's first products
  // page, 15% product anonymous, 10% product signed in, 20% basket.
  mobile: (random, tokens) => {
    const buyer = () => ({ authorization: `Bearer ${tokens[Math.floor(random() * tokens.length)]}` });
    const id = () => 1 + Math.floor(random() * CATALOG_SIZE);
    return weighted(random, [
      [0.25, () => ({ path: '/api/home', headers: {} })],
      [0.15, () => ({ path: '/api/home', headers: buyer() })],
      [0.15, () => ({ path: `/api/products?limit=20&brandId=${1 + Math.floor(random() * BRANDS)}`, headers: {} })],
      [0.15, () => ({ path: `/api/products/${id()}`, headers: {} })],
      [0.1, () => ({ path: `/api/products/${id()}`, headers: buyer() })],
      [0.2, () => ({ path: '/api/basket', headers: buyer() })],
    ])();
  },
};

module.exports = { CATALOG_SIZE, BRANDS, TYPES, items, basketOf, buyerIds, rng, mixes };
