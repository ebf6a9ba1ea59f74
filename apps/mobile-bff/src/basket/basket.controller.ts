import { BasketRoutes } from '@app/storefront';
import { MobileBasket, toMobileBasket } from './mobile-basket';

/** Same routes as web-bff, answering the compact mobile basket. */
export const BasketController = BasketRoutes(MobileBasket, toMobileBasket);
