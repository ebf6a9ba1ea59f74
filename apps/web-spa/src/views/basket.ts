import type { WebBasket, WebBasketItem } from '../../../../sdk/web-bff';
import { h, link, price } from '../dom';
import { ShopError } from '../problem';
import { api, call, setBasketCount } from '../session';
import { degradedBanners, errorBanner, messageSlot, requireSignIn } from '../ui';
import { productImage } from './home';

/** Basket: change quantities, remove lines; lines whose price moved since they were added say so. */
export async function basketView() {
  if (!requireSignIn()) return null;
  const basket = await call(api().GET('/api/basket'), 'loading your basket');
  const section = h('section', { 'data-testid': 'basket-page' });
  const messages = messageSlot();

  const render = (b: WebBasket) => {
    setBasketCount(b.itemCount);
    section.replaceChildren(
      h('h1', {}, 'Your basket'),
      ...degradedBanners(b.degraded),
      messages,
      b.items.length === 0
        ? h('p', { 'data-testid': 'basket-empty' }, 'Your basket is empty. ', link('/', {}, 'Continue shopping'))
        : h(
            'div',
            {},
            h('ul', { class: 'lines' }, b.items.map(line)),
            h(
              'p',
              { class: 'total' },
              'Total ',
              h('strong', { 'data-testid': 'basket-total' }, price(b.total)),
              ` (${b.itemCount} ${b.itemCount === 1 ? 'item' : 'items'})`,
            ),
            link('/checkout', { class: 'button', 'data-testid': 'checkout-link' }, 'Checkout'),
          ),
    );
  };

  const act = async (request: () => Promise<WebBasket>, controls: HTMLInputElement | HTMLButtonElement) => {
    controls.disabled = true;
    messages.show(null);
    try {
      render(await request());
    } catch (err) {
      messages.show(errorBanner(err));
      controls.disabled = false;
    }
  };

  const line = (item: WebBasketItem) => {
    const qty = h('input', {
      type: 'number',
      min: 0,
      max: 99,
      value: item.quantity,
      'data-testid': 'line-quantity',
      'aria-label': `Quantity of ${item.productName}`,
    });
    qty.addEventListener('change', () => {
      const quantity = Number(qty.value);
      if (!Number.isInteger(quantity) || quantity < 0 || quantity > 99)
        return messages.show(errorBanner(new ShopError('The quantity must be a whole number from 0 (remove) to 99.')));
      void act(
        () => call(api().PUT('/api/basket/items', { body: { updates: [{ basketItemId: item.id, quantity }] } }), 'changing the quantity'),
        qty,
      );
    });
    const remove = h('button', { type: 'button', class: 'linkish', 'data-testid': 'line-remove' }, 'Remove');
    remove.addEventListener('click', () =>
      act(
        () => call(api().DELETE('/api/basket/items/{basketItemId}', { params: { path: { basketItemId: item.id } } }), 'removing the item'),
        remove,
      ),
    );
    const lowStock = item.availableStock !== null && item.quantity > item.availableStock;
    return h(
      'li',
      { class: 'line', 'data-testid': 'basket-line', 'data-product-id': item.productId, 'data-line-id': item.id },
      productImage(item.pictureUri, item.productName),
      h(
        'div',
        { class: 'grow' },
        h('h3', { 'data-testid': 'line-name' }, item.productName),
        h('p', { 'data-testid': 'line-unit-price' }, price(item.unitPrice), ' each'),
        item.priceChanged
          ? h(
              'p',
              { class: 'warn-text', 'data-testid': 'line-price-changed' },
              `Price changed: was ${price(item.oldUnitPrice)}, now ${price(item.unitPrice)}`,
            )
          : null,
        lowStock
          ? h(
              'p',
              { class: 'warn-text', 'data-testid': 'line-stock' },
              item.availableStock === 0 ? 'Out of stock' : `Only ${item.availableStock} left in stock`,
            )
          : null,
      ),
      h('label', {}, 'Qty ', qty),
      h('p', { class: 'price', 'data-testid': 'line-total' }, price(item.lineTotal)),
      remove,
    );
  };

  render(basket);
  return section;
}
