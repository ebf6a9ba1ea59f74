import { Injectable } from '@nestjs/common';
import { aggregate, required } from '@app/aggregate';
import { CatalogQueries, CursorCodec, pickFields, pictureLink } from '@app/storefront';
import { toMobileProduct, type MobileProduct, type MobileProductDetail, type MobileProductPage } from './mobile-product';

export const DEFAULT_LIMIT = 20;

export interface ProductFilter {
  brandId?: number;
  typeId?: number;
  q?: string;
}

@Injectable()
export class ProductsComposer {
  constructor(
    private readonly queries: CatalogQueries,
    private readonly cursors: CursorCodec,
  ) {}

  /** A cursor page in the catalog's name order; the cursor is bound to the filters it was issued for. */
  async list(
    filter: ProductFilter,
    cursor: string | undefined,
    limit = DEFAULT_LIMIT,
    fields?: ReadonlyArray<keyof MobileProduct>,
  ): Promise<MobileProductPage> {
    const scope = `b=${filter.brandId ?? ''}&t=${filter.typeId ?? ''}&q=${filter.q ?? ''}`;
    const offset = this.cursors.decode(cursor, 'products', scope);
    const { values } = await aggregate({ window: required(() => this.queries.window(filter, offset, limit)) });
    const { items, count } = values.window;
    const next = offset + items.length;
    return {
      items: items.map((i) => pickFields(toMobileProduct(i), fields)),
      nextCursor: items.length > 0 && next < count ? this.cursors.encode('products', scope, next) : null,
    };
  }

  /** The product page; the basket is only asked when the fieldset includes basketQuantity. */
  async one(
    id: number,
    fields?: ReadonlyArray<keyof Omit<MobileProductDetail, 'degraded'>>,
  ): Promise<Partial<MobileProductDetail> & Pick<MobileProductDetail, 'degraded'>> {
    const { item, basketQuantity, degraded } = await this.queries.productForCaller(id, !fields || fields.includes('basketQuantity'));
    const detail: Omit<MobileProductDetail, 'degraded'> = {
      id: item.id,
      name: item.name,
      description: item.description ?? '',
      price: item.price,
      pictureUri: pictureLink(item.id),
      inStock: item.availableStock > 0,
      basketQuantity,
    };
    return { ...pickFields(detail, fields), degraded };
  }
}
