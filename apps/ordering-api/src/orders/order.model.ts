import type { CardType, Order as ContractOrder, OrderSummary as ContractOrderSummary, OrderStatus } from '@app/contracts';

/** The contract shapes (CONTRACTS.md §1) live in @app/downstream; this service only narrows them. */
export type { CardType, OrderDraft, OrderItem, OrderStatus } from '@app/contracts';

/** eShop only lets an order be cancelled before it is paid. */
export const CANCELLABLE_STATUSES: readonly OrderStatus[] = ['submitted', 'awaitingvalidation', 'stockconfirmed'];

/** As this service stores it: always one of the known statuses, always with a description. */
export interface Order extends ContractOrder {
  status: OrderStatus;
  description: string;
}

export interface OrderSummary extends ContractOrderSummary {
  status: OrderStatus;
}

export const CARD_TYPES: readonly CardType[] = [
  { id: 1, name: 'Amex' },
  { id: 2, name: 'Visa' },
  { id: 3, name: 'MasterCard' },
];
