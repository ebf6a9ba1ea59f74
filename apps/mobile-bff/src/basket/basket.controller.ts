import { BasketRoutes } from '@app/storefront';
import { toMobileBasket } from './mobile-basket';

/** Same routes as web-bff, answering the compact mobile basket. */
export const BasketController = BasketRoutes(toMobileBasket);
