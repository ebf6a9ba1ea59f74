import type { WebProduct } from '../../../../sdk/web-bff';
import { h, link, price } from '../dom';
import { navigate, type ViewContext } from '../router';
import { api, call, pictureUrl, setBasketCount, signedIn } from '../session';
import { degradedBanners } from '../ui';

const PAGE_SIZE = 12;

const intParam = (q: URLSearchParams, name: string): number | undefined => {
  const v = Number(q.get(name));
  return q.has(name) && Number.isInteger(v) && v >= 0 ? v : undefined;
};

/** Home: one page of the catalog, brand/type filters, paging; the basket summary when signed in. */
export async function homeView({ query }: ViewContext) {
  const brandId = intParam(query, 'brandId');
  const typeId = intParam(query, 'typeId');
  const pageIndex = intParam(query, 'pageIndex') ?? 0;
  const home = await call(
    api().GET('/api/home', { params: { query: { pageIndex, pageSize: PAGE_SIZE, brandId, typeId } } }),
    'loading the catalog',
  );
  if (home.basket) setBasketCount(home.basket.itemCount);
  else if (signedIn() && home.degraded.includes('basket')) setBasketCount(null);

  const go = (next: { brandId?: number; typeId?: number; pageIndex?: number }) => {
    const q = new URLSearchParams();
    const merged = { brandId, typeId, pageIndex: 0, ...next };
    if (merged.brandId !== undefined) q.set('brandId', String(merged.brandId));
    if (merged.typeId !== undefined) q.set('typeId', String(merged.typeId));
    if (merged.pageIndex) q.set('pageIndex', String(merged.pageIndex));
    const s = q.toString();
    navigate(s ? `/?${s}` : '/');
  };
  const filter = (
    testid: string,
    label: string,
    all: string,
    options: { id: number; name: string }[] | null,
    selected: number | undefined,
    key: 'brandId' | 'typeId',
  ) =>
    h(
      'label',
      {},
      `${label} `,
      h(
        'select',
        {
          'data-testid': testid,
          disabled: options === null,
          onchange: (e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            go({ [key]: v === '' ? undefined : Number(v) });
          },
        },
        h('option', { value: '' }, all),
        (options ?? []).map((o) => h('option', { value: o.id, selected: o.id === selected }, o.name)),
      ),
    );

  const { catalog } = home;
  const pages = Math.max(1, Math.ceil(catalog.count / catalog.pageSize));
  return h(
    'section',
    { 'data-testid': 'home-page' },
    degradedBanners(home.degraded),
    h(
      'div',
      { class: 'filters' },
      filter('brand-filter', 'Brand', 'All brands', home.brands, brandId, 'brandId'),
      filter('type-filter', 'Type', 'All types', home.types, typeId, 'typeId'),
      h('span', { 'data-testid': 'result-count', class: 'muted' }, `${catalog.count} products`),
    ),
    catalog.items.length === 0
      ? h('p', { 'data-testid': 'no-products' }, 'No products match these filters.')
      : h('div', { class: 'grid', 'data-testid': 'product-grid' }, catalog.items.map(productCard)),
    h(
      'div',
      { class: 'pager' },
      h(
        'button',
        {
          type: 'button',
          'data-testid': 'page-prev',
          disabled: catalog.pageIndex === 0,
          onclick: () => go({ pageIndex: catalog.pageIndex - 1 }),
        },
        '‹ Previous',
      ),
      h('span', { 'data-testid': 'page-info' }, `Page ${catalog.pageIndex + 1} of ${pages}`),
      h(
        'button',
        {
          type: 'button',
          'data-testid': 'page-next',
          disabled: catalog.pageIndex + 1 >= pages,
          onclick: () => go({ pageIndex: catalog.pageIndex + 1 }),
        },
        'Next ›',
      ),
    ),
  );
}

export const productImage = (uri: string, alt: string) =>
  // crossorigin: the picture is then a CORS load, which web-bff's Cross-Origin-Resource-Policy allows.
  h('img', {
    src: pictureUrl(uri),
    alt,
    crossorigin: 'anonymous',
    loading: 'lazy',
    width: 160,
    height: 160,
    'data-testid': 'product-picture',
  });

function productCard(p: WebProduct) {
  return h(
    'article',
    { class: 'card', 'data-testid': 'product-card', 'data-product-id': p.id },
    link(
      `/products/${p.id}`,
      { 'data-testid': 'product-link' },
      productImage(p.pictureUri, p.name),
      h('h3', { 'data-testid': 'product-name' }, p.name),
    ),
    h('p', { class: 'muted' }, [p.brand, p.type].filter(Boolean).join(' · ')),
    h('p', { class: 'price', 'data-testid': 'product-price' }, price(p.price)),
    p.availableStock <= 0 ? h('p', { class: 'warn-text' }, 'Out of stock') : null,
  );
}
