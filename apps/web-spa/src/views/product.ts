import { h, link, price } from '../dom';
import { ShopError } from '../problem';
import { navigate, type ViewContext } from '../router';
import { api, call, setBasketCount, signedIn } from '../session';
import { degradedBanners, errorBanner, messageSlot, notice, signInHref } from '../ui';
import { productImage } from './home';

/** Product detail: description, stock, what is already in the basket, and "add to basket". */
export async function productView({ params }: ViewContext) {
  const id = Number(params.id);
  if (!Number.isInteger(id) || id < 1) throw new ShopError('We could not find that product.', 404);
  const detail = await call(api().GET('/api/products/{id}', { params: { path: { id } } }), 'loading the product');
  const p = detail.product;
  const messages = messageSlot();
  const inBasket = h('p', { 'data-testid': 'basket-quantity' }, detail.basketQuantity ? `In your basket: ${detail.basketQuantity}` : '');
  const quantity = h('input', { type: 'number', min: 1, max: 99, value: 1, 'data-testid': 'add-quantity', 'aria-label': 'Quantity' });
  const add = h('button', { type: 'submit', 'data-testid': 'add-to-basket', disabled: p.availableStock <= 0 }, 'Add to basket');

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (!signedIn()) return navigate(signInHref());
    add.disabled = true;
    try {
      const basket = await call(
        api().POST('/api/basket/items', { body: { productId: p.id, quantity: Number(quantity.value) || 1 } }),
        'adding to your basket',
      );
      setBasketCount(basket.itemCount);
      const n = basket.items.filter((i) => i.productId === p.id).reduce((s, i) => s + i.quantity, 0);
      inBasket.textContent = `In your basket: ${n}`;
      messages.show(notice(`Added ${p.name} to your basket.`));
    } catch (err) {
      messages.show(errorBanner(err));
    } finally {
      add.disabled = p.availableStock <= 0;
    }
  };

  return h(
    'section',
    { class: 'product', 'data-testid': 'product-detail', 'data-product-id': p.id },
    degradedBanners(detail.degraded),
    link('/', { 'data-testid': 'back-to-catalog' }, '‹ Back to the catalog'),
    h(
      'div',
      { class: 'product-body' },
      productImage(p.pictureUri, p.name),
      h(
        'div',
        {},
        h('h1', { 'data-testid': 'product-title' }, p.name),
        h('p', { class: 'muted' }, [p.brand, p.type].filter(Boolean).join(' · ')),
        h('p', { 'data-testid': 'product-description' }, p.description),
        h('p', { class: 'price', 'data-testid': 'product-price' }, price(p.price)),
        h('p', { 'data-testid': 'product-stock' }, p.availableStock > 0 ? `${p.availableStock} in stock` : 'Out of stock'),
        inBasket,
        h('form', { class: 'add', onsubmit: onSubmit, 'data-testid': 'add-form' }, quantity, add),
        signedIn() ? null : h('p', { class: 'muted' }, link(signInHref(), { 'data-testid': 'product-signin' }, 'Sign in'), ' to buy.'),
        messages,
      ),
    ),
  );
}
