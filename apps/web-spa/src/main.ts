import './styles.css';
import { loadConfig } from './config';
import { h, link, type Child } from './dom';
import { startRouter, route, navigate, type View, type ViewContext } from './router';
import { errorBanner } from './ui';
import { getBasketCount, initSession, shopperName, signedIn, signOut } from './session';
import { homeView } from './views/home';
import { productView } from './views/product';
import { signInView } from './views/sign-in';
import { basketView } from './views/basket';
import { checkoutView } from './views/checkout';
import { orderView, ordersView } from './views/orders';

const app = document.getElementById('app')!;

function header(): HTMLElement {
  const count = getBasketCount();
  const nav = h(
    'nav',
    { class: 'nav' },
    link('/', { 'data-testid': 'nav-home', class: 'brand' }, 'eShop'),
    link(
      '/basket',
      { 'data-testid': 'nav-basket' },
      'Basket',
      count !== null ? h('span', { class: 'badge', 'data-testid': 'basket-count' }, count) : null,
    ),
    link('/orders', { 'data-testid': 'nav-orders' }, 'Orders'),
    signedIn()
      ? h(
          'span',
          { class: 'who' },
          h('span', { 'data-testid': 'shopper-name' }, shopperName() ?? ''),
          h(
            'button',
            { type: 'button', class: 'linkish', 'data-testid': 'nav-signout', onclick: () => (signOut(), navigate('/')) },
            'Sign out',
          ),
        )
      : link('/sign-in', { 'data-testid': 'nav-signin' }, 'Sign in'),
  );
  return h('header', { class: 'top' }, nav);
}

const headerSlot = h('div');
const main = h('main', { 'data-testid': 'main' });

function renderHeader(): void {
  headerSlot.replaceChildren(header());
}

/** Shows a view: a loading line at once, then its content (or its error in plain words). */
function show(view: View, ctx: ViewContext): void {
  renderHeader();
  main.replaceChildren(h('p', { class: 'loading', 'data-testid': 'loading' }, 'Loading…'));
  Promise.resolve()
    .then(() => view(ctx))
    .then(
      (content) => {
        if (!ctx.current()) return;
        main.replaceChildren(...flatten(content));
        renderHeader();
      },
      (err: unknown) => {
        if (!ctx.current()) return;
        main.replaceChildren(errorBanner(err));
        renderHeader();
      },
    );
}

function flatten(c: Child): Node[] {
  const out: Node[] = [];
  const walk = (x: Child) => {
    if (x === null || x === undefined || x === false) return;
    if (Array.isArray(x)) x.forEach(walk);
    else out.push(typeof x === 'string' || typeof x === 'number' ? document.createTextNode(String(x)) : x);
  };
  walk(c);
  return out;
}

async function start(): Promise<void> {
  initSession(await loadConfig());
  app.replaceChildren(headerSlot, main);
  document.addEventListener('basket-count', renderHeader);
  route('/', homeView);
  route('/products/:id', productView);
  route('/sign-in', signInView);
  route('/basket', basketView);
  route('/checkout', checkoutView);
  route('/orders', ordersView);
  route('/orders/:orderNumber', orderView);
  startRouter(show, () => h('section', { 'data-testid': 'not-found' }, h('h1', {}, 'Page not found'), link('/', {}, 'Back to the shop')));
}

void start();
