import { Injectable } from '@nestjs/common';
import { aggregate, required } from '@app/aggregate';
import { CatalogQueries } from '@app/storefront';
import type { ProductsQueryDto } from './catalog-page-query.dto';
import { toWebProduct } from './web-product';
import type { WebProductDetail, WebProductPage } from './web-product-page';

@Injectable()
export class ProductsComposer {
  constructor(private readonly queries: CatalogQueries) {}

  async list(q: ProductsQueryDto): Promise<WebProductPage> {
    const { values, degraded } = await aggregate({
      page: required(() =>
        this.queries.page({ pageIndex: q.pageIndex ?? 0, pageSize: q.pageSize ?? 12, brandId: q.brandId, typeId: q.typeId, q: q.q }),
      ),
    });
    const { page } = values;
    return { pageIndex: page.pageIndex, pageSize: page.pageSize, count: page.count, items: page.data.map(toWebProduct), degraded };
  }

  /** The product (required) and, for a signed-in caller, how many the basket holds (optional). */
  async one(id: number): Promise<WebProductDetail> {
    const { item, basketQuantity, degraded } = await this.queries.productForCaller(id);
    return { product: toWebProduct(item), basketQuantity, degraded };
  }
}
