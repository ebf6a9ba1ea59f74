import { pictureLink, type PricedBasket } from '@app/storefront';

/** The mobile basket: one line per row, current price, a thumbnail; totals for the checkout button. */
export interface MobileBasket {
  items: Array<{ id: string; productId: number; name: string; price: number; quantity: number; thumbnailUri: string }>;
  count: number;
  total: number;
  degraded: string[];
}

export function toMobileBasket(b: PricedBasket): MobileBasket {
  return {
    items: b.lines.map((l) => ({
      id: l.line.id,
      productId: l.line.productId,
      name: l.line.productName,
      price: l.unitPrice,
      quantity: l.line.quantity,
      thumbnailUri: pictureLink(l.line.productId),
    })),
    count: b.itemCount,
    total: b.total,
    degraded: b.degraded,
  };
}
