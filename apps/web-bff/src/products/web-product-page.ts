import { ApiProperty } from '@nestjs/swagger';
import { ApiDegraded } from '@app/platform';
import { ApiBasketQuantity } from '@app/storefront';
import { WebProduct } from './web-product';

/** A page of the catalog, in name order. */
export class WebCatalogPage {
  @ApiProperty({ type: 'integer', minimum: 0 })
  pageIndex: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 50 })
  pageSize: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Items matching the filters, over all pages' })
  count: number;

  @ApiProperty({ type: [WebProduct] })
  items: WebProduct[];
}

/** GET /api/products: the page is the only part (listed in `degraded` when served from a stale copy). */
export class WebProductPage extends WebCatalogPage {
  @ApiDegraded(['page'])
  degraded: string[];
}

/** GET /api/products/{id}. */
export class WebProductDetail {
  @ApiProperty({ type: WebProduct })
  product: WebProduct;

  @ApiBasketQuantity()
  basketQuantity: number | null;

  @ApiDegraded(['product', 'basket'])
  degraded: string[];
}
