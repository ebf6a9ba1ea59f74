import { SHARED_ROUTES, type RouteTable } from '@app/gateway';

/**
 * web-bff's gateway routes: what the SPA reads unchanged from a downstream, streamed through.
 * Validated at start (registerGatewayRoutes); a path the app's own controllers serve is refused.
 * `/api/orders/cardtypes` is a static path, so it takes precedence over `GET /api/orders/:orderNumber`
 * (which only accepts positive integers, so no order is hidden by it).
 */
export const WEB_GATEWAY_ROUTES: RouteTable = [SHARED_ROUTES.catalogBrands, SHARED_ROUTES.catalogTypes, SHARED_ROUTES.cardTypes];
