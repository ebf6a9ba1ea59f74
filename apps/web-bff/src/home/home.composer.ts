import { Injectable } from '@nestjs/common';
import { aggregate, fixed, optional, required } from '@app/aggregate';
import { BasketClient, CatalogClient } from '@app/downstream';
import { optionalBuyerId } from '@app/platform';
import { basketSummary, CatalogQueries } from '@app/storefront';
import type { CatalogPageQueryDto } from '../products/catalog-page-query.dto';
import { toWebProduct } from '../products/web-product';
import type { WebHome } from './web-home';

/** The SPA's landing page in one round trip: four downstream reads in parallel. */
@Injectable()
export class HomeComposer {
  constructor(
    private readonly queries: CatalogQueries,
    private readonly catalog: CatalogClient,
    private readonly baskets: BasketClient,
  ) {}

  async compose(q: CatalogPageQueryDto): Promise<WebHome> {
    const buyerId = optionalBuyerId();
    const { values, degraded } = await aggregate({
      catalog: required(() =>
        this.queries.page({ pageIndex: q.pageIndex ?? 0, pageSize: q.pageSize ?? 12, brandId: q.brandId, typeId: q.typeId }),
      ),
      brands: optional(() => this.catalog.brands()),
      types: optional(() => this.catalog.types()),
      // Anonymous callers have no basket: null, and not a degradation.
      basket: buyerId ? optional(() => this.baskets.get(buyerId)) : fixed(null),
    });
    const { catalog, brands, types, basket } = values;
    return {
      catalog: { pageIndex: catalog.pageIndex, pageSize: catalog.pageSize, count: catalog.count, items: catalog.data.map(toWebProduct) },
      brands: brands?.map((b) => ({ id: b.id, name: b.brand })) ?? null,
      types: types?.map((t) => ({ id: t.id, name: t.type })) ?? null,
      basket: basket ? basketSummary(basket) : null,
      degraded,
    };
  }
}
