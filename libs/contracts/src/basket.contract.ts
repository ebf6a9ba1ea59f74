import { Type, type Static } from '@sinclair/typebox';
import { compileCheck } from './check';

/** CONTRACTS.md §1 BasketItem. */
export const BasketItemSchema = Type.Object({
  id: Type.String(),
  productId: Type.Integer(),
  productName: Type.String(),
  unitPrice: Type.Number(),
  oldUnitPrice: Type.Number(),
  quantity: Type.Integer({ minimum: 1 }),
  pictureUrl: Type.String(),
});
export type BasketItem = Static<typeof BasketItemSchema>;

export const CustomerBasketSchema = Type.Object({ buyerId: Type.String(), items: Type.Array(BasketItemSchema) });
export type CustomerBasket = Static<typeof CustomerBasketSchema>;

/** CONTRACTS.md §1 BasketCheckout (a request body: the BFF sends it, the basket service checks it). */
export interface BasketCheckout {
  city: string;
  street: string;
  state: string;
  country: string;
  zipCode: string;
  cardNumber: string;
  cardHolderName: string;
  cardExpiration: string;
  cardSecurityNumber: string;
  cardTypeId: number;
  buyer: string;
}

export const isBasketItem = compileCheck(BasketItemSchema);
export const isCustomerBasket = compileCheck(CustomerBasketSchema);
