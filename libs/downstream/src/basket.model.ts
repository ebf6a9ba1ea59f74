import { arrayOf, isInt, isNum, isObj, isStr, type Check } from './shape';

/** CONTRACTS.md §1 BasketItem. */
export interface BasketItem {
  id: string;
  productId: number;
  productName: string;
  unitPrice: number;
  oldUnitPrice: number;
  quantity: number;
  pictureUrl: string;
}

export interface CustomerBasket {
  buyerId: string;
  items: BasketItem[];
}

/** CONTRACTS.md §1 BasketCheckout. */
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

export const isBasketItem: Check<BasketItem> = (v): v is BasketItem =>
  isObj(v) &&
  isStr(v.id) &&
  isInt(v.productId) &&
  isStr(v.productName) &&
  isNum(v.unitPrice) &&
  isNum(v.oldUnitPrice) &&
  isInt(v.quantity) &&
  (v.quantity as number) >= 1 &&
  isStr(v.pictureUrl);

export const isCustomerBasket: Check<CustomerBasket> = (v): v is CustomerBasket =>
  isObj(v) && isStr(v.buyerId) && arrayOf(isBasketItem)(v.items);
