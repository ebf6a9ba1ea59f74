import type { CatalogBrand, CatalogItem as ContractCatalogItem, CatalogType } from '@app/contracts';

/** CONTRACTS.md §1 catalog shapes (@app/contracts), as this sample service holds them: every field present. */
export type { CatalogBrand, CatalogType };

/** An item as held in memory; `pictureUri` is added per answer because it depends on the public base URL. */
export type CatalogItemRecord = Required<Omit<ContractCatalogItem, 'pictureUri' | 'description' | 'catalogType' | 'catalogBrand'>> & {
  description: string;
  catalogType: CatalogType;
  catalogBrand: CatalogBrand;
};

export interface CatalogItem extends CatalogItemRecord {
  pictureUri: string;
}

export interface PaginatedItems<T> {
  pageIndex: number;
  pageSize: number;
  count: number;
  data: T[];
}
