/** CONTRACTS.md §1 catalog shapes. */
export interface CatalogType {
  id: number;
  type: string;
}

export interface CatalogBrand {
  id: number;
  brand: string;
}

/** An item as held in memory; `pictureUri` is added per answer because it depends on the public base URL. */
export interface CatalogItemRecord {
  id: number;
  name: string;
  description: string;
  price: number;
  pictureFileName: string;
  catalogTypeId: number;
  catalogType: CatalogType;
  catalogBrandId: number;
  catalogBrand: CatalogBrand;
  availableStock: number;
  restockThreshold: number;
  maxStockThreshold: number;
  onReorder: boolean;
}

export interface CatalogItem extends CatalogItemRecord {
  pictureUri: string;
}

export interface PaginatedItems<T> {
  pageIndex: number;
  pageSize: number;
  count: number;
  data: T[];
}
