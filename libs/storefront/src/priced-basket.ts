import type { BasketItem, CatalogItem, CustomerBasket } from '@app/downstream';
import { money } from './picture-link';

export interface PricedLine {
  line: BasketItem;
  /** The catalog's current price (the stored one when the catalog could not be asked). */
  unitPrice: number;
  /** The price the line was added at. */
  oldUnitPrice: number;
  priceChanged: boolean;
  availableStock: number | null;
  lineTotal: number;
}

export interface PricedBasket {
  buyerId: string;
  lines: PricedLine[];
  /** Sum of the lines' quantities. */
  itemCount: number;
  /** Sum of unitPrice × quantity. */
  total: number;
  degraded: string[];
}

/** Prices a stored basket with the catalog's current prices; `current` is null when the catalog part degraded. */
export function priceBasket(basket: CustomerBasket, current: ReadonlyMap<number, CatalogItem> | null, degraded: string[]): PricedBasket {
  const lines = basket.items.map((line): PricedLine => {
    const item = current?.get(line.productId);
    const unitPrice = item ? item.price : line.unitPrice;
    return {
      line,
      unitPrice,
      oldUnitPrice: line.unitPrice,
      priceChanged: unitPrice !== line.unitPrice,
      availableStock: item ? item.availableStock : null,
      lineTotal: money(unitPrice * line.quantity),
    };
  });
  return {
    buyerId: basket.buyerId,
    lines,
    itemCount: lines.reduce((n, l) => n + l.line.quantity, 0),
    total: money(lines.reduce((sum, l) => sum + l.unitPrice * l.line.quantity, 0)),
    degraded,
  };
}

/** Count and total from stored prices only (home pages, where a catalog round trip is not worth it). */
export function basketSummary(basket: CustomerBasket): { itemCount: number; total: number } {
  return {
    itemCount: basket.items.reduce((n, i) => n + i.quantity, 0),
    total: money(basket.items.reduce((sum, i) => sum + i.unitPrice * i.quantity, 0)),
  };
}

/** How many of `productId` the basket holds. */
export function quantityOf(basket: CustomerBasket, productId: number): number {
  return basket.items.reduce((n, i) => (i.productId === productId ? n + i.quantity : n), 0);
}
