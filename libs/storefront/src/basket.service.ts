import { randomUUID } from 'node:crypto';
import { Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { aggregate, optional, required } from '@app/aggregate';
import { BasketClient, CatalogClient, type BasketItem, type CatalogItem, type CustomerBasket } from '@app/downstream';
import { pictureLink } from './picture-link';
import { priceBasket, type PricedBasket } from './priced-basket';

export const MAX_LINE_QUANTITY = 99;

/**
 * The basket use-cases both BFFs offer. The buyer id always comes from the verified token, and the
 * price of a new line always from the catalog, never from the client.
 */
@Injectable()
export class BasketService {
  constructor(
    private readonly baskets: BasketClient,
    private readonly catalog: CatalogClient,
  ) {}

  /** The basket priced at the catalog's current prices; without the catalog, stored prices stand (degraded). */
  async load(buyerId: string): Promise<PricedBasket> {
    const { values } = await aggregate({ basket: required(() => this.baskets.get(buyerId)) });
    return this.price(values.basket);
  }

  async addItem(buyerId: string, productId: number, quantity: number): Promise<PricedBasket> {
    const { values } = await aggregate({
      product: required(() => this.catalog.item(productId)),
      basket: required(() => this.baskets.get(buyerId)),
    });
    const { product, basket } = values;
    if (!product) throw new UnprocessableEntityException({ detail: `There is no product with id ${productId}` });
    const existing = basket.items.find((i) => i.productId === productId);
    if (existing && existing.quantity + quantity > MAX_LINE_QUANTITY) {
      throw new UnprocessableEntityException({ detail: `A basket line holds at most ${MAX_LINE_QUANTITY} units` });
    }
    assertInStock(product, (existing?.quantity ?? 0) + quantity);
    const items: BasketItem[] = existing
      ? basket.items.map((i) => (i === existing ? { ...i, quantity: i.quantity + quantity } : i))
      : [...basket.items, newLine(product, quantity)];
    return this.replace(buyerId, items, new Map([[product.id, product]]));
  }

  /** Sets quantities (0 removes the line); every line named must exist, else nothing changes. */
  async updateQuantities(buyerId: string, updates: ReadonlyArray<{ basketItemId: string; quantity: number }>): Promise<PricedBasket> {
    const basket = await this.current(buyerId);
    const wanted = new Map(updates.map((u) => [u.basketItemId, u.quantity]));
    const unknown = [...wanted.keys()].filter((id) => !basket.items.some((i) => i.id === id));
    if (unknown.length > 0) {
      throw new UnprocessableEntityException({ detail: `The basket has no line ${unknown.map((id) => `"${id}"`).join(', ')}` });
    }
    const items = basket.items.map((i) => (wanted.has(i.id) ? { ...i, quantity: wanted.get(i.id)! } : i)).filter((i) => i.quantity > 0);
    // A raised quantity must be in stock: the catalog is a required part then (lowering needs no check).
    const raised = items.filter((i) => i.quantity > (basket.items.find((b) => b.id === i.id)?.quantity ?? 0));
    if (raised.length === 0) return this.replace(buyerId, items);
    const { values } = await aggregate({ catalog: required(() => this.catalog.byIds([...new Set(raised.map((i) => i.productId))])) });
    const known = new Map(values.catalog.map((c) => [c.id, c]));
    for (const line of raised) {
      const product = known.get(line.productId);
      if (!product) throw new UnprocessableEntityException({ detail: `Product ${line.productId} is no longer in the catalog` });
      assertInStock(
        product,
        items.filter((i) => i.productId === line.productId).reduce((n, i) => n + i.quantity, 0),
      );
    }
    return this.replace(buyerId, items, known);
  }

  /**
   * The stored basket with every line at the catalog's current price, for the checkout draft and the
   * checkout itself (the order is placed at the prices the basket shows). With `store`, lines whose
   * stored price differs are stored repriced first. Without the catalog the stored prices stand, as
   * GET /api/basket shows them then.
   */
  async atCurrentPrices(buyerId: string, store: boolean): Promise<CustomerBasket> {
    const basket = await this.current(buyerId);
    const priced = await this.price(basket);
    if (!priced.lines.some((l) => l.priceChanged)) return basket;
    const items = priced.lines.map((l) =>
      l.priceChanged ? { ...l.line, unitPrice: l.unitPrice, oldUnitPrice: l.line.unitPrice } : l.line,
    );
    if (!store) return { ...basket, items };
    return (await aggregate({ stored: required(() => this.baskets.replace({ buyerId, items })) })).values.stored;
  }

  async removeLine(buyerId: string, basketItemId: string): Promise<PricedBasket> {
    const basket = await this.current(buyerId);
    if (!basket.items.some((i) => i.id === basketItemId)) {
      throw new NotFoundException({ detail: `The basket has no line "${basketItemId}"` });
    }
    return this.replace(
      buyerId,
      basket.items.filter((i) => i.id !== basketItemId),
    );
  }

  private async current(buyerId: string): Promise<CustomerBasket> {
    return (await aggregate({ basket: required(() => this.baskets.get(buyerId)) })).values.basket;
  }

  private async replace(buyerId: string, items: BasketItem[], known?: Map<number, CatalogItem>): Promise<PricedBasket> {
    const { values } = await aggregate({ stored: required(() => this.baskets.replace({ buyerId, items })) });
    return this.price(values.stored, known);
  }

  /** Second stage: current prices for the lines (optional part), skipping products already fetched. */
  private async price(basket: CustomerBasket, known?: Map<number, CatalogItem>): Promise<PricedBasket> {
    const missing = [...new Set(basket.items.map((i) => i.productId))].filter((id) => !known?.has(id));
    if (missing.length === 0) return priceBasket(basket, known ?? new Map(), []);
    const { values, degraded } = await aggregate({ catalog: optional(() => this.catalog.byIds(missing)) });
    if (!values.catalog) return priceBasket(basket, null, degraded);
    const prices = new Map(known);
    for (const item of values.catalog) prices.set(item.id, item);
    return priceBasket(basket, prices, degraded);
  }
}

/** 422 naming the stock when fewer than `quantity` units of the product are available; nothing is changed. */
function assertInStock(product: CatalogItem, quantity: number): void {
  if (quantity <= product.availableStock) return;
  const detail =
    product.availableStock <= 0
      ? `"${product.name}" (product ${product.id}) is out of stock`
      : `Only ${product.availableStock} of "${product.name}" (product ${product.id}) are in stock; the basket line would hold ${quantity}`;
  throw new UnprocessableEntityException({ detail, errors: [{ field: 'quantity', message: detail }] });
}

function newLine(product: CatalogItem, quantity: number): BasketItem {
  return {
    id: randomUUID(),
    productId: product.id,
    productName: product.name,
    unitPrice: product.price,
    oldUnitPrice: product.price,
    quantity,
    pictureUrl: pictureLink(product.id),
  };
}
