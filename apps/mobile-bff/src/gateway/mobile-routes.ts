import { SHARED_ROUTES, type RouteTable } from '@app/gateway';

/**
 * mobile-bff's gateway routes: only what the mobile app reads unchanged (brands for its filter,
 * card types for checkout). Validated at start (registerGatewayRoutes).
 */
export const MOBILE_GATEWAY_ROUTES: RouteTable = [SHARED_ROUTES.catalogBrands, SHARED_ROUTES.cardTypes];
