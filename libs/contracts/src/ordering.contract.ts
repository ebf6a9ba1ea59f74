import { Type, type Static } from '@sinclair/typebox';
import type { BasketItem } from './basket.contract';
import { compileCheck } from './check';

export const ORDER_STATUSES = ['submitted', 'awaitingvalidation', 'stockconfirmed', 'paid', 'shipped', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const OrderSummarySchema = Type.Object({
  orderNumber: Type.Integer(),
  date: Type.String(),
  status: Type.String(),
  total: Type.Number(),
});
export type OrderSummary = Static<typeof OrderSummarySchema>;

export const OrderItemSchema = Type.Object({
  productId: Type.Integer(),
  productName: Type.String(),
  units: Type.Integer(),
  unitPrice: Type.Number(),
  pictureUrl: Type.Optional(Type.String()),
});
export type OrderItem = Static<typeof OrderItemSchema>;

export const OrderSchema = Type.Object({
  orderNumber: Type.Integer(),
  date: Type.String(),
  status: Type.String(),
  description: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  street: Type.String(),
  city: Type.String(),
  state: Type.String(),
  zipCode: Type.String(),
  country: Type.String(),
  orderItems: Type.Array(OrderItemSchema),
  total: Type.Number(),
});
export type Order = Static<typeof OrderSchema>;

export const OrderDraftSchema = Type.Object({
  orderItems: Type.Array(
    Type.Object({
      productId: Type.Integer(),
      productName: Type.String(),
      unitPrice: Type.Number(),
      discount: Type.Number(),
      units: Type.Integer(),
      pictureUrl: Type.Optional(Type.String()),
    }),
  ),
  total: Type.Number(),
});
export type OrderDraft = Static<typeof OrderDraftSchema>;

export const CardTypeSchema = Type.Object({ id: Type.Integer(), name: Type.String() });
export type CardType = Static<typeof CardTypeSchema>;

export type DraftRequest = { buyerId: string; items: BasketItem[] };

export const isOrderSummaries = compileCheck(Type.Array(OrderSummarySchema));
export const isOrder = compileCheck(OrderSchema);
export const isOrderDraft = compileCheck(OrderDraftSchema);
export const isCardTypes = compileCheck(Type.Array(CardTypeSchema));
