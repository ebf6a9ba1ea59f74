/** CONTRACTS.md §1 ordering shapes. */
export const ORDER_STATUSES = ['submitted', 'awaitingvalidation', 'stockconfirmed', 'paid', 'shipped', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** eShop only lets an order be cancelled before it is paid. */
export const CANCELLABLE_STATUSES: readonly OrderStatus[] = ['submitted', 'awaitingvalidation', 'stockconfirmed'];

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
  status: OrderStatus;
  description: string;
  street: string;
  city: string;
  state: string;
  zipCode: string;
  country: string;
  orderItems: OrderItem[];
  total: number;
}

export interface OrderSummary {
  orderNumber: number;
  date: string;
  status: OrderStatus;
  total: number;
}

export interface OrderDraft {
  orderItems: Array<{ productId: number; productName: string; unitPrice: number; discount: number; units: number; pictureUrl: string }>;
  total: number;
}

export interface CardType {
  id: number;
  name: string;
}

export const CARD_TYPES: readonly CardType[] = [
  { id: 1, name: 'Amex' },
  { id: 2, name: 'Visa' },
  { id: 3, name: 'MasterCard' },
];
