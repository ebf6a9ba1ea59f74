import { arrayOf, isInt, isNum, isObj, isStr, type Check } from './shape';
import type { BasketItem } from './basket.model';

export const ORDER_STATUSES = ['submitted', 'awaitingvalidation', 'stockconfirmed', 'paid', 'shipped', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderSummary {
  orderNumber: number;
  date: string;
  status: string;
  total: number;
}

export interface OrderItem {
  productId: number;
  productName: string;
  units: number;
  unitPrice: number;
  pictureUrl: string;
}

export interface Order {
  orderNumber: number;
  date: string;
  status: string;
  description?: string | null;
  street: string;
  city: string;
  state: string;
  zipCode: string;
  country: string;
  orderItems: OrderItem[];
  total: number;
}

export interface OrderDraft {
  orderItems: Array<{
    productId: number;
    productName: string;
    unitPrice: number;
    discount: number;
    units: number;
    pictureUrl: string;
  }>;
  total: number;
}

export interface CardType {
  id: number;
  name: string;
}

export type DraftRequest = { buyerId: string; items: BasketItem[] };

const isSummary: Check<OrderSummary> = (v): v is OrderSummary =>
  isObj(v) && isInt(v.orderNumber) && isStr(v.date) && isStr(v.status) && isNum(v.total);
export const isOrderSummaries = arrayOf(isSummary);

const isOrderItem: Check<OrderItem> = (v): v is OrderItem =>
  isObj(v) && isInt(v.productId) && isStr(v.productName) && isInt(v.units) && isNum(v.unitPrice);

export const isOrder: Check<Order> = (v): v is Order =>
  isObj(v) && isInt(v.orderNumber) && isStr(v.date) && isStr(v.status) && isNum(v.total) && arrayOf(isOrderItem)(v.orderItems);

export const isOrderDraft: Check<OrderDraft> = (v): v is OrderDraft =>
  isObj(v) &&
  isNum(v.total) &&
  arrayOf((i): i is OrderDraft['orderItems'][number] =>
    isObj(i) && isInt(i.productId) && isStr(i.productName) && isNum(i.unitPrice) && isInt(i.units),
  )(v.orderItems);

export const isCardTypes = arrayOf((v): v is CardType => isObj(v) && isInt(v.id) && isStr(v.name));
