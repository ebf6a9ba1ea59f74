import { pictureLink, type PricedBasket } from '@app/storefront';

/** CONTRACTS.md §3 WebBasket. */
export interface WebBasket {
  buyerId: string;
  items: Array<{
    id: string;
    productId: number;
    productName: string;
    unitPrice: number;
    oldUnitPrice: number;
    priceChanged: boolean;
    quantity: number;
    pictureUri: string;
    lineTotal: number;
    availableStock: number | null;
  }>;
  itemCount: number;
  total: number;
  degraded: string[];
}

export function toWebBasket(b: PricedBasket): WebBasket {
  return {
    buyerId: b.buyerId,
    items: b.lines.map((l) => ({
      id: l.line.id,
      productId: l.line.productId,
      productName: l.line.productName,
      unitPrice: l.unitPrice,
      oldUnitPrice: l.oldUnitPrice,
      priceChanged: l.priceChanged,
      quantity: l.line.quantity,
      pictureUri: pictureLink(l.line.productId),
      lineTotal: l.lineTotal,
      availableStock: l.availableStock,
    })),
    itemCount: b.itemCount,
    total: b.total,
    degraded: b.degraded,
  };
}
