import { Type, type Static } from '@sinclair/typebox';
import { compileCheck } from './check';

/**
 * CONTRACTS.md §1 catalog answers. Only the fields the BFFs read are constrained; any other field
 * a catalog sends is allowed (and never passed on: the BFFs map answers field by field).
 */
const OptStr = Type.Optional(Type.Union([Type.String(), Type.Null()]));

export const CatalogItemSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  description: OptStr,
  price: Type.Number(),
  pictureFileName: Type.Optional(Type.String()),
  pictureUri: Type.Optional(Type.String()),
  catalogTypeId: Type.Integer(),
  catalogType: Type.Optional(Type.Union([Type.Object({ id: Type.Integer(), type: Type.String() }), Type.Null()])),
  catalogBrandId: Type.Integer(),
  catalogBrand: Type.Optional(Type.Union([Type.Object({ id: Type.Integer(), brand: Type.String() }), Type.Null()])),
  availableStock: Type.Integer(),
  restockThreshold: Type.Optional(Type.Number()),
  maxStockThreshold: Type.Optional(Type.Number()),
  onReorder: Type.Optional(Type.Boolean()),
});
export type CatalogItem = Static<typeof CatalogItemSchema>;

export const CatalogItemsSchema = Type.Array(CatalogItemSchema);

export const CatalogPageSchema = Type.Object({
  pageIndex: Type.Integer(),
  pageSize: Type.Integer(),
  count: Type.Integer(),
  data: CatalogItemsSchema,
});
export type CatalogPage = Static<typeof CatalogPageSchema>;

export const CatalogBrandSchema = Type.Object({ id: Type.Integer(), brand: Type.String() });
export type CatalogBrand = Static<typeof CatalogBrandSchema>;
export const CatalogTypeSchema = Type.Object({ id: Type.Integer(), type: Type.String() });
export type CatalogType = Static<typeof CatalogTypeSchema>;

export const isCatalogItem = compileCheck(CatalogItemSchema);
export const isCatalogItems = compileCheck(CatalogItemsSchema);
/** Just enough of an `?ids=` answer to tell its items apart: each item is then checked on its own (isCatalogItem). */
export const isIdentifiedItems = compileCheck(Type.Array(Type.Object({ id: Type.Integer() })));
export const isCatalogPage = compileCheck(CatalogPageSchema);
export const isCatalogBrands = compileCheck(Type.Array(CatalogBrandSchema));
export const isCatalogTypes = compileCheck(Type.Array(CatalogTypeSchema));
