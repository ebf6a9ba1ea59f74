import type { CatalogItem, CustomerBasket } from '@app/downstream';
import { basketSummary, priceBasket, quantityOf } from './priced-basket';

const line = (id: string, productId: number, unitPrice: number, quantity: number) => ({
  id,
  productId,
  productName: `P${productId}`,
  unitPrice,
  oldUnitPrice: unitPrice,
  quantity,
  pictureUrl: 'x',
});
const basket: CustomerBasket = { buyerId: 'b', items: [line('a', 1, 19.5, 3), line('b', 2, 0.1, 3)] };
const item = (id: number, price: number, availableStock = 5) => ({ id, price, availableStock }) as CatalogItem;

describe('priceBasket', () => {
  it('prices lines at the current catalog price and flags changes', () => {
    const priced = priceBasket(
      basket,
      new Map([
        [1, item(1, 21)],
        [2, item(2, 0.1, 0)],
      ]),
      [],
    );
    expect(priced.lines.map((l) => [l.unitPrice, l.oldUnitPrice, l.priceChanged, l.lineTotal, l.availableStock])).toEqual([
      [21, 19.5, true, 63, 5],
      [0.1, 0.1, false, 0.3, 0],
    ]);
    expect(priced.itemCount).toBe(6);
    expect(priced.total).toBe(63.3);
    expect(priced.degraded).toEqual([]);
  });

  it('keeps the stored prices when the catalog degraded, and says so', () => {
    const priced = priceBasket(basket, null, ['catalog']);
    expect(priced.lines.map((l) => [l.unitPrice, l.priceChanged, l.availableStock])).toEqual([
      [19.5, false, null],
      [0.1, false, null],
    ]);
    expect(priced.total).toBe(58.8);
    expect(priced.degraded).toEqual(['catalog']);
  });

  it('summarises and counts without the catalog', () => {
    expect(basketSummary(basket)).toEqual({ itemCount: 6, total: 58.8 });
    expect(quantityOf(basket, 1)).toBe(3);
    expect(quantityOf(basket, 9)).toBe(0);
  });
});
