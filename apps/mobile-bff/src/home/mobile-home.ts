import { ApiProperty } from '@nestjs/swagger';
import { ApiDegraded, IdName } from '@app/platform';
import { MobileProduct } from '../products/mobile-product';

/** GET /api/home: the featured strip is required; brands and the basket badge are optional parts. */
export class MobileHome {
  @ApiProperty({ type: [MobileProduct], maxItems: 10 })
  featured: MobileProduct[];

  @ApiProperty({ type: [IdName], nullable: true, description: 'null when the part degraded' })
  brands: IdName[] | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    minimum: 0,
    description: 'Units in the basket; null when anonymous (not degraded) or when the part degraded',
  })
  basketCount: number | null;

  @ApiDegraded(['featured', 'brands', 'basket'])
  degraded: string[];
}
