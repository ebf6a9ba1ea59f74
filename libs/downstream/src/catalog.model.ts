import { arrayOf, isBool, isInt, isNum, isObj, isStr, type Check } from './shape';

/** CONTRACTS.md §1 CatalogItem (the fields the BFFs read are checked; others pass through untouched). */
export interface CatalogItem {
  id: number;
  name: string;
  description: string;
  price: number;
  pictureFileName?: string;
  pictureUri?: string;
  catalogTypeId: number;
  catalogType?: { id: number; type: string } | null;
  catalogBrandId: number;
  catalogBrand?: { id: number; brand: string } | null;
  availableStock: number;
  restockThreshold?: number;
  maxStockThreshold?: number;
  onReorder?: boolean;
}

export interface CatalogPage {
  pageIndex: number;
  pageSize: number;
  count: number;
  data: CatalogItem[];
}

export interface CatalogBrand {
  id: number;
  brand: string;
}
export interface CatalogType {
  id: number;
  type: string;
}

export const isCatalogItem: Check<CatalogItem> = (v): v is CatalogItem =>
  isObj(v) &&
  isInt(v.id) &&
  isStr(v.name) &&
  (v.description === undefined || v.description === null || isStr(v.description)) &&
  isNum(v.price) &&
  isInt(v.catalogTypeId) &&
  isInt(v.catalogBrandId) &&
  isInt(v.availableStock) &&
  (v.onReorder === undefined || isBool(v.onReorder)) &&
  (v.catalogType == null || (isObj(v.catalogType) && isStr(v.catalogType.type))) &&
  (v.catalogBrand == null || (isObj(v.catalogBrand) && isStr(v.catalogBrand.brand)));

export const isCatalogItems = arrayOf(isCatalogItem);

export const isCatalogPage: Check<CatalogPage> = (v): v is CatalogPage =>
  isObj(v) && isInt(v.pageIndex) && isInt(v.pageSize) && isInt(v.count) && isCatalogItems(v.data);

export const isCatalogBrands = arrayOf((v): v is CatalogBrand => isObj(v) && isInt(v.id) && isStr(v.brand));
export const isCatalogTypes = arrayOf((v): v is CatalogType => isObj(v) && isInt(v.id) && isStr(v.type));
