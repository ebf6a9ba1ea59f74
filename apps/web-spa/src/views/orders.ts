import { h, link, price } from '../dom';
import { ShopError } from '../problem';
import { type ViewContext } from '../router';
import { api, call } from '../session';
import { errorBanner, messageSlot, notice, requireSignIn } from '../ui';

const when = (iso: string) => new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
const FINAL = new Set(['cancelled', 'shipped']);

export async function ordersView({ query }: ViewContext) {
  if (!requireSignIn()) return null;
  const { orders } = await call(api().GET('/api/orders'), 'loading your orders');
  return h(
    'section',
    { 'data-testid': 'orders-page' },
    h('h1', {}, 'Your orders'),
    query.has('placed') ? notice('Thank you! Your order has been placed.') : null,
    orders.length === 0
      ? h('p', { 'data-testid': 'orders-empty' }, 'You have no orders yet.')
      : h(
          'table',
          { class: 'orders' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Order'), h('th', {}, 'Date'), h('th', {}, 'Status'), h('th', {}, 'Total'))),
          h(
            'tbody',
            {},
            orders.map((o) =>
              h(
                'tr',
                { 'data-testid': 'order-row', 'data-order-number': o.orderNumber },
                h('td', {}, link(`/orders/${o.orderNumber}`, { 'data-testid': 'order-link' }, `#${o.orderNumber}`)),
                h('td', {}, when(o.date)),
                h('td', { 'data-testid': 'order-row-status' }, o.status),
                h('td', {}, price(o.total)),
              ),
            ),
          ),
        ),
  );
}

export async function orderView({ params }: ViewContext) {
  if (!requireSignIn()) return null;
  const orderNumber = Number(params.orderNumber);
  if (!Number.isInteger(orderNumber) || orderNumber < 1) throw new ShopError('We could not find that order.', 404);
  const order = await call(api().GET('/api/orders/{orderNumber}', { params: { path: { orderNumber } } }), 'loading the order');
  const messages = messageSlot();
  const status = h('strong', { 'data-testid': 'order-status' }, order.status);
  const cancel = h('button', { type: 'button', 'data-testid': 'order-cancel', hidden: FINAL.has(order.status) }, 'Cancel order');
  cancel.addEventListener('click', async () => {
    if (!window.confirm(`Cancel order #${orderNumber}?`)) return;
    cancel.disabled = true;
    try {
      await call(api().POST('/api/orders/{orderNumber}/cancel', { params: { path: { orderNumber } } }), 'cancelling the order');
      status.textContent = 'cancelled';
      cancel.hidden = true;
      messages.show(notice(`Order #${orderNumber} is cancelled.`));
    } catch (err) {
      messages.show(errorBanner(err));
      cancel.disabled = false;
    }
  });
  return h(
    'section',
    { 'data-testid': 'order-detail', 'data-order-number': order.orderNumber },
    link('/orders', { 'data-testid': 'back-to-orders' }, '‹ All orders'),
    h('h1', {}, `Order #${order.orderNumber}`),
    h('p', {}, when(order.date), ' · Status: ', status),
    h('p', { 'data-testid': 'order-address' }, `${order.street}, ${order.zipCode} ${order.city}, ${order.state}, ${order.country}`),
    h(
      'table',
      { class: 'draft' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Product'), h('th', {}, 'Units'), h('th', {}, 'Unit price'))),
      h(
        'tbody',
        {},
        order.orderItems.map((i) =>
          h('tr', { 'data-testid': 'order-line' }, h('td', {}, i.productName), h('td', {}, i.units), h('td', {}, price(i.unitPrice))),
        ),
      ),
      h('tfoot', {}, h('tr', {}, h('th', { colspan: 2 }, 'Total'), h('th', { 'data-testid': 'order-total' }, price(order.total)))),
    ),
    cancel,
    messages,
  );
}
