import type { CatalogBrand, CatalogItemRecord, CatalogType } from './catalog-item.model';

/**
 * The catalog's fixed content: the eShopOnContainers brands, types and twelve items, plus
 * generated products up to CATALOG_SIZE. Generation uses a seeded PRNG so every process (and
 * every replica) serves exactly the same catalog.
 */
export const CATALOG_SIZE = 1000;

export const CATALOG_TYPES: readonly CatalogType[] = [
  { id: 1, type: 'Mug' },
  { id: 2, type: 'T-Shirt' },
  { id: 3, type: 'Sheet' },
  { id: 4, type: 'USB Memory Stick' },
];

export const CATALOG_BRANDS: readonly CatalogBrand[] = [
  { id: 1, brand: 'Azure' },
  { id: 2, brand: '.NET' },
  { id: 3, brand: 'Visual Studio' },
  { id: 4, brand: 'SQL Server' },
  { id: 5, brand: 'Other' },
];

const MUG = 1;
const TSHIRT = 2;
const SHEET = 3;
const USB = 4;
const DOTNET = 2;
const OTHER = 5;

/** eShopOnContainers' CatalogItems.csv: [name, price, typeId, brandId], plus a colour for the description. */
const ESHOP_ITEMS: ReadonlyArray<[string, number, number, number, string]> = [
  ['.NET Bot Black Hoodie', 19.5, TSHIRT, DOTNET, 'black'],
  ['.NET Black & White Mug', 8.5, MUG, DOTNET, 'black and white'],
  ['Prism White T-Shirt', 12, TSHIRT, OTHER, 'white'],
  ['.NET Foundation T-shirt', 12, TSHIRT, DOTNET, 'purple'],
  ['Roslyn Red Sheet', 8.5, SHEET, OTHER, 'red'],
  ['.NET Blue Hoodie', 12, TSHIRT, DOTNET, 'blue'],
  ['Roslyn Red T-Shirt', 12, TSHIRT, OTHER, 'red'],
  ['Kudu Purple Hoodie', 8.5, TSHIRT, OTHER, 'purple'],
  ['Cup<T> White Mug', 12, MUG, OTHER, 'white'],
  ['.NET Foundation Sheet', 12, SHEET, DOTNET, 'purple'],
  ['Cup<T> Sheet', 8.5, SHEET, DOTNET, 'blue'],
  ['Prism White TShirt', 12, TSHIRT, OTHER, 'white'],
];

/** mulberry32: tiny, fast and good enough for varied sample data; never Math.random. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)];
const between = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));

const PREFIXES: Record<number, readonly string[]> = {
  1: ['Azure', 'Cosmos DB', 'Azure Functions', 'Blob Storage', 'Service Bus', 'Azure DevOps'],
  2: ['.NET', 'Blazor', 'C#', 'F#', 'ASP.NET Core', 'NuGet', '.NET MAUI'],
  3: ['Visual Studio', 'VS Code', 'IntelliCode', 'Live Share', 'Dev Tunnels'],
  4: ['SQL Server', 'T-SQL', 'Query Store', 'Columnstore', 'Always On'],
  5: ['Prism', 'Kudu', 'Cup<T>', 'Roslyn', 'Orleans', 'Polly', 'Dapr', 'gRPC', 'Bicep'],
};

const ADJECTIVES = [
  'Classic',
  'Retro',
  'Vintage',
  'Minimal',
  'Bold',
  'Striped',
  'Heathered',
  'Limited Edition',
  'Essential',
  'Premium',
  'Organic',
  'Everyday',
  'Vivid',
  'Compact',
  'Signature',
  'Pixel',
  'Gradient',
  'Neon',
  'Outline',
  'Hackathon',
];

const COLOURS = [
  'Black',
  'White',
  'Red',
  'Blue',
  'Navy',
  'Purple',
  'Green',
  'Grey',
  'Orange',
  'Teal',
  'Yellow',
  'Charcoal',
  'Sand',
  'Olive',
  'Sky Blue',
  'Crimson',
];

const NOUNS: Record<number, readonly string[]> = {
  [MUG]: ['Mug', 'Travel Mug', 'Espresso Cup', 'Latte Mug', 'Enamel Mug', 'Tumbler'],
  [TSHIRT]: ['T-Shirt', 'Hoodie', 'Long Sleeve Tee', 'Polo', 'Zip Hoodie', 'Crewneck Sweatshirt', 'Tank Top'],
  [SHEET]: ['Sticker Sheet', 'Sheet', 'Poster', 'Cheat Sheet', 'Decal Sheet', 'Notebook Sheet'],
  [USB]: ['USB Memory Stick', 'USB-C Drive', 'Flash Drive', 'Swivel USB Stick', 'Keyring USB Stick'],
};

const CAPACITIES = ['16GB', '32GB', '64GB', '128GB', '256GB'];

const PRICE_RANGES: Record<number, [number, number]> = {
  [MUG]: [6, 18],
  [TSHIRT]: [12, 45],
  [SHEET]: [3, 12],
  [USB]: [8, 60],
};

// Description building blocks. Each sentence stays under ~130 characters so that the
// assembled text can be kept inside 150–400 characters.
const OPENERS: Record<number, readonly string[]> = {
  [MUG]: [
    'A sturdy ceramic {noun} that keeps your coffee warm through long debugging sessions.',
    'This {colour} {noun} holds a generous 350 ml of tea, coffee or whatever fuels your next release.',
    'Dishwasher-safe and microwave-friendly, the {noun} is built for daily stand-ups and late-night deploys.',
    'Start every sprint with the {name}, a glossy {colour} mug with a comfortable, oversized handle.',
  ],
  [TSHIRT]: [
    'A soft, breathable {noun} in {colour}, cut for a relaxed fit that works at the desk and at meetups.',
    'The {name} is made from ring-spun cotton that stays comfortable from the first commit to the last.',
    'Pre-shrunk and garment-dyed, this {colour} {noun} keeps its shape and colour wash after wash.',
    'Show your stack with the {name}, printed with water-based inks that stay soft to the touch.',
  ],
  [SHEET]: [
    'A {colour} {noun} printed on heavyweight matte stock, ready for laptops, notebooks and water bottles.',
    'The {name} packs a dozen die-cut designs that peel cleanly and leave no residue behind.',
    'Decorate your workspace with this {noun}, printed in vivid colour with a scratch-resistant finish.',
    'Made for conference swag bags, the {name} brings a little personality to any flat surface.',
  ],
  [USB]: [
    'The {name} offers {capacity} of fast storage for installers, slides and last-minute demo builds.',
    'A pocket-sized {colour} {noun} with {capacity} of space and a reliable, read-optimised controller.',
    'Carry your tools everywhere: this {capacity} {noun} works with laptops, desktops and build agents.',
    'Built around a durable metal casing, the {name} stores {capacity} and survives the bottom of any bag.',
  ],
};

const BRAND_LINES = [
  'It carries the {brand} logo, a nod to the community that builds and ships with it every day.',
  'Designed for fans of {brand}, it makes a great gift for teammates, mentors and meetup speakers.',
  'The {brand} artwork was drawn in-house and is printed to last.',
  'Part of our {brand} collection, alongside matching mugs, shirts and stickers.',
];

const DETAIL_LINES = [
  'Each piece is checked by hand before it leaves the warehouse.',
  'Packaging is plastic-free and fully recyclable.',
  'Orders placed before noon usually ship the same day.',
  'Colours may vary slightly from the picture because of screen calibration.',
  'Pairs nicely with the rest of the developer swag in this catalog.',
  'Limited stock is produced in small batches, so popular designs can sell out quickly.',
  'Every purchase supports open-source maintainers through our community fund.',
  'Returns are free within thirty days if it is not quite right.',
];

const fill = (template: string, values: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');

/** Mid-sentence nouns read as "a red sticker sheet", while "USB" and "T-Shirt" keep their spelling. */
const sentenceCase = (noun: string): string =>
  noun
    .split(' ')
    .map((word) => (/^[A-Z][a-z]+$/.test(word) ? word.toLowerCase() : word))
    .join(' ');

/** "It carries the Other logo" reads badly: for brand Other the project name stands in. */
const brandLabel = (brandId: number, prefix: string): string => (brandId === OTHER ? prefix : CATALOG_BRANDS[brandId - 1].brand);

function describeItem(rng: Rng, typeId: number, values: Record<string, string>): string {
  let text = `${fill(pick(rng, OPENERS[typeId]), values)} ${fill(pick(rng, BRAND_LINES), values)}`;
  const details = [...DETAIL_LINES];
  // Add details until the text is long enough, then maybe one more for variety, never past 400.
  while (text.length < 150 || (rng() < 0.5 && details.length > 0)) {
    const [detail] = details.splice(Math.floor(rng() * details.length), 1);
    if (text.length + 1 + detail.length > 400) break;
    text = `${text} ${detail}`;
  }
  return text;
}

function priceFor(rng: Rng, typeId: number): number {
  const [min, max] = PRICE_RANGES[typeId];
  const base = min + rng() * (max - min);
  // Shop-like prices: whole, .50 or .99.
  const ending = pick(rng, [0, 0.5, 0.99]);
  return Math.floor(base) + ending;
}

function stockFor(
  rng: Rng,
  id: number,
): Pick<CatalogItemRecord, 'availableStock' | 'restockThreshold' | 'maxStockThreshold' | 'onReorder'> {
  const maxStockThreshold = between(rng, 2, 10) * 50;
  const restockThreshold = between(rng, 5, 25);
  // Every 13th item is sold out, so clients have predictable out-of-stock products to test with.
  const availableStock = id % 13 === 0 ? 0 : between(rng, 1, maxStockThreshold);
  return { availableStock, restockThreshold, maxStockThreshold, onReorder: availableStock <= restockThreshold };
}

function record(
  id: number,
  name: string,
  description: string,
  price: number,
  typeId: number,
  brandId: number,
  rng: Rng,
): CatalogItemRecord {
  return {
    id,
    name,
    description,
    price,
    pictureFileName: `${id}.png`,
    catalogTypeId: typeId,
    catalogType: { ...CATALOG_TYPES[typeId - 1] },
    catalogBrandId: brandId,
    catalogBrand: { ...CATALOG_BRANDS[brandId - 1] },
    ...stockFor(rng, id),
  };
}

/** Builds the full catalog (ids 1..CATALOG_SIZE), in id order. Pure and deterministic. */
export function buildCatalog(size = CATALOG_SIZE, seed = 0x0e5b0c): CatalogItemRecord[] {
  const rng = seededRandom(seed);
  const items: CatalogItemRecord[] = [];
  const names = new Set<string>();

  for (const [name, price, typeId, brandId, colour] of ESHOP_ITEMS) {
    const noun = sentenceCase(name.split(' ').slice(-1)[0]);
    const values = { name, noun, colour, brand: brandLabel(brandId, name.split(' ')[0]), capacity: '32GB' };
    items.push(record(items.length + 1, name, describeItem(rng, typeId, values), price, typeId, brandId, rng));
    names.add(name.toLowerCase());
  }

  while (items.length < size) {
    const typeId = between(rng, 1, CATALOG_TYPES.length);
    const brandId = between(rng, 1, CATALOG_BRANDS.length);
    const prefix = pick(rng, PREFIXES[brandId]);
    const adjective = pick(rng, ADJECTIVES);
    const colour = pick(rng, COLOURS);
    const noun = pick(rng, NOUNS[typeId]);
    const capacity = pick(rng, CAPACITIES);
    const name = typeId === USB ? `${prefix} ${adjective} ${colour} ${capacity} ${noun}` : `${prefix} ${adjective} ${colour} ${noun}`;
    if (names.has(name.toLowerCase())) continue; // names are unique, case-insensitively
    names.add(name.toLowerCase());
    const values = { name, noun: sentenceCase(noun), colour: colour.toLowerCase(), brand: brandLabel(brandId, prefix), capacity };
    items.push(record(items.length + 1, name, describeItem(rng, typeId, values), priceFor(rng, typeId), typeId, brandId, rng));
  }
  return items;
}

/** Name order used by every paginated answer: case-insensitive, then ordinal (no locale data involved). */
export function compareByName(a: { name: string }, b: { name: string }): number {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
