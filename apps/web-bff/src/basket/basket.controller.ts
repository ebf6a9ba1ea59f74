import { BasketRoutes } from '@app/storefront';
import { toWebBasket, WebBasket } from './web-basket';

/** The SPA's basket: every answer is the whole priced basket, so the page re-renders from one response. */
export const BasketController = BasketRoutes(WebBasket, toWebBasket);
