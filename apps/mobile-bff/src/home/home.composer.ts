import { Injectable } from '@nestjs/common';
import { aggregate, fixed, optional, required } from '@app/aggregate';
import { BasketClient, CatalogClient } from '@app/downstream';
import { optionalBuyerId } from '@app/platform';
import { basketSummary } from '@app/storefront';
import { toMobileProduct } from '../products/mobile-product';
import type { MobileHome } from './mobile-home';

export const FEATURED_COUNT = 10;

/** The app's first screen: a short featured strip, the brand chips and the basket badge. */
@Injectable()
export class HomeComposer {
  constructor(
    private readonly catalog: CatalogClient,
    private readonly baskets: BasketClient,
  ) {}

  async compose(): Promise<MobileHome> {
    const buyerId = optionalBuyerId();
    const { values, degraded } = await aggregate({
      featured: required(() => this.catalog.page({ pageIndex: 0, pageSize: FEATURED_COUNT })),
      brands: optional(() => this.catalog.brands()),
      basket: buyerId ? optional(() => this.baskets.get(buyerId)) : fixed(null),
    });
    return {
      featured: values.featured.data.slice(0, FEATURED_COUNT).map(toMobileProduct),
      brands: values.brands?.map((b) => ({ id: b.id, name: b.brand })) ?? null,
      basketCount: values.basket ? basketSummary(values.basket).itemCount : null,
      degraded,
    };
  }
}
