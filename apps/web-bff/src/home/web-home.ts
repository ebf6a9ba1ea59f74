import { ApiProperty } from '@nestjs/swagger';
import { ApiDegraded, IdName } from '@app/platform';
import { BasketSummary } from '@app/storefront';
import { WebCatalogPage } from '../products/web-product-page';

/** GET /api/home: the catalog page is required; brands, types and the basket summary are optional parts. */
export class WebHome {
  @ApiProperty({ type: WebCatalogPage })
  catalog: WebCatalogPage;

  @ApiProperty({ type: [IdName], nullable: true, description: 'null when the part degraded' })
  brands: IdName[] | null;

  @ApiProperty({ type: [IdName], nullable: true, description: 'null when the part degraded' })
  types: IdName[] | null;

  @ApiProperty({ type: BasketSummary, nullable: true, description: 'null when anonymous (not degraded) or when the part degraded' })
  basket: BasketSummary | null;

  @ApiDegraded(['catalog', 'brands', 'types', 'basket'])
  degraded: string[];
}
