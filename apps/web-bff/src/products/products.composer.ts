import { Injectable, NotFoundException } from '@nestjs/common';
import { aggregate, fixed, optional, required } from '@app/aggregate';
import { BasketClient, CatalogClient } from '@app/downstream';
import { CatalogQueries, quantityOf } from '@app/storefront';
import { optionalBuyerId } from '@app/platform';
import type { ProductsQueryDto } from './catalog-page-query.dto';
import { toWebProduct, type WebProduct } from './web-product';

export interface WebProductPage {
  pageIndex: number;
  pageSize: number;
  count: number;
  items: WebProduct[];
  degraded: string[];
}

@Injectable()
export class ProductsComposer {
  constructor(
    private readonly queries: CatalogQueries,
    private readonly catalog: CatalogClient,
    private readonly baskets: BasketClient,
  ) {}

  async list(q: ProductsQueryDto): Promise<WebProductPage> {
    const { values, degraded } = await aggregate({
      page: required(() => this.queries.page({ pageIndex: q.pageIndex ?? 0, pageSize: q.pageSize ?? 12, brandId: q.brandId, typeId: q.typeId, q: q.q })),
    });
    const { page } = values;
    return { pageIndex: page.pageIndex, pageSize: page.pageSize, count: page.count, items: page.data.map(toWebProduct), degraded };
  }

  /** The product (required) and, for a signed-in caller, how many the basket holds (optional). */
  async one(id: number): Promise<{ product: WebProduct; basketQuantity: number | null; degraded: string[] }> {
    const buyerId = optionalBuyerId();
    const { values, degraded } = await aggregate({
      product: required(() => this.catalog.item(id)),
      basket: buyerId ? optional(() => this.baskets.get(buyerId)) : fixed(null),
    });
    if (!values.product) throw new NotFoundException({ detail: `There is no product with id ${id}` });
    return {
      product: toWebProduct(values.product),
      basketQuantity: values.basket ? quantityOf(values.basket, id) : null,
      degraded,
    };
  }
}
