import type { Checkout } from '../../../../sdk/web-bff';
import { h, link, price } from '../dom';
import { ShopError } from '../problem';
import { navigate } from '../router';
import { api, call, setBasketCount, uuid } from '../session';
import { errorBanner, messageSlot, requireSignIn } from '../ui';

// The sample ordering service's card types (ids per CONTRACTS BasketCheckout.cardTypeId).
const CARD_TYPES = [
  { id: 1, name: 'Amex' },
  { id: 2, name: 'Visa' },
  { id: 3, name: 'MasterCard' },
];

const TEXT_FIELDS: Array<[keyof Checkout, string, string]> = [
  ['street', 'Street', 'street-address'],
  ['city', 'City', 'address-level2'],
  ['state', 'State', 'address-level1'],
  ['zipCode', 'Zip code', 'postal-code'],
  ['country', 'Country', 'country-name'],
  ['cardHolderName', 'Name on card', 'cc-name'],
  ['cardNumber', 'Card number', 'cc-number'],
  ['cardSecurityNumber', 'Security code', 'cc-csc'],
];

/** The last day of a YYYY-MM month, as the ISO date the API takes. */
const expiryDate = (month: string): string | undefined => {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return undefined;
  const last = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
  return `${m[1]}-${m[2]}-${String(last).padStart(2, '0')}`;
};

/** Checkout: the draft at the prices the basket shows, the address/card form, one order per submit. */
export async function checkoutView() {
  if (!requireSignIn()) return null;
  let draft;
  try {
    draft = await call(api().GET('/api/checkout/draft'), 'preparing your order');
  } catch (err) {
    if (err instanceof ShopError && err.status === 422) {
      return h(
        'section',
        { 'data-testid': 'checkout-page' },
        h('h1', {}, 'Checkout'),
        h('p', { 'data-testid': 'checkout-empty' }, 'Your basket is empty. ', link('/', {}, 'Continue shopping')),
      );
    }
    throw err;
  }

  const messages = messageSlot();
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const field = (name: string, label: string, el: HTMLInputElement | HTMLSelectElement) => {
    inputs.set(name, el);
    return h('label', {}, label, el);
  };
  const submit = h('button', { type: 'submit', 'data-testid': 'checkout-submit' }, `Place order (${price(draft.total)})`);

  // One key per distinct order attempt: a retry of the same form (a lost answer, a double click)
  // reuses it, so the BFF places one order; a corrected form gets a new key.
  let attempt: { key: string; body: string } | undefined;

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    const value = (n: string) => inputs.get(n)!.value.trim();
    const cardExpiration = expiryDate(value('cardExpiration'));
    if (!cardExpiration) return messages.show(errorBanner(new ShopError('Please enter the card’s expiry month.')));
    const body: Checkout = {
      street: value('street'),
      city: value('city'),
      state: value('state'),
      zipCode: value('zipCode'),
      country: value('country'),
      cardHolderName: value('cardHolderName'),
      cardNumber: value('cardNumber').replace(/[\s-]/g, ''),
      cardSecurityNumber: value('cardSecurityNumber'),
      cardExpiration,
      cardTypeId: Number(value('cardTypeId')),
    };
    const text = JSON.stringify(body);
    if (attempt?.body !== text) attempt = { key: uuid(), body: text };
    submit.disabled = true;
    messages.show(null);
    try {
      await call(api().POST('/api/checkout', { params: { header: { 'Idempotency-Key': attempt.key } }, body }), 'placing your order');
      setBasketCount(0);
      navigate('/orders?placed=1');
    } catch (err) {
      messages.show(errorBanner(err));
      submit.disabled = false;
    }
  };

  return h(
    'section',
    { 'data-testid': 'checkout-page' },
    h('h1', {}, 'Checkout'),
    h(
      'table',
      { class: 'draft', 'data-testid': 'draft' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Product'), h('th', {}, 'Units'), h('th', {}, 'Unit price'), h('th', {}, 'Subtotal'))),
      h(
        'tbody',
        {},
        draft.items.map((i) =>
          h(
            'tr',
            { 'data-testid': 'draft-line', 'data-product-id': i.productId },
            h('td', {}, i.productName),
            h('td', { 'data-testid': 'draft-units' }, i.units),
            h('td', { 'data-testid': 'draft-unit-price' }, price(i.unitPrice)),
            h('td', {}, price(i.unitPrice * i.units)),
          ),
        ),
      ),
      h('tfoot', {}, h('tr', {}, h('th', { colspan: 3 }, 'Total'), h('th', { 'data-testid': 'draft-total' }, price(draft.total)))),
    ),
    h(
      'form',
      { class: 'stack checkout-form', onsubmit: onSubmit, 'data-testid': 'checkout-form' },
      h(
        'fieldset',
        {},
        h('legend', {}, 'Shipping address'),
        TEXT_FIELDS.slice(0, 5).map(([n, label, ac]) => field(n, label, input(n, ac))),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Payment'),
        field(
          'cardTypeId',
          'Card type',
          h(
            'select',
            { name: 'cardTypeId', 'data-testid': 'field-cardTypeId' },
            CARD_TYPES.map((c) => h('option', { value: c.id }, c.name)),
          ),
        ),
        TEXT_FIELDS.slice(5).map(([n, label, ac]) => field(n, label, input(n, ac))),
        field(
          'cardExpiration',
          'Expires (month)',
          h('input', { name: 'cardExpiration', type: 'month', required: true, 'data-testid': 'field-cardExpiration' }),
        ),
      ),
      submit,
    ),
    messages,
  );
}

const input = (name: string, autocomplete: string) => h('input', { name, autocomplete, required: true, 'data-testid': `field-${name}` });
