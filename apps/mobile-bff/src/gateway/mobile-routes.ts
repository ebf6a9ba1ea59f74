import type { RouteTable } from '@app/gateway';

/**
 * mobile-bff's gateway routes: only what the mobile app reads unchanged (brands for its filter,
 * card types for checkout). Validated at start (registerGatewayRoutes).
 */
export const MOBILE_GATEWAY_ROUTES: RouteTable = [
  {
    path: '/api/catalog/brands',
    methods: ['GET'],
    service: 'catalog',
    downstreamPath: '/api/v1/catalog/catalogbrands',
    auth: 'none',
    cacheTtlMs: 60_000,
    rateLimitClass: 'catalog-read',
  },
  {
    path: '/api/orders/cardtypes',
    methods: ['GET'],
    service: 'ordering',
    downstreamPath: '/api/v1/orders/cardtypes',
    auth: 'required',
    cacheTtlMs: 0,
    rateLimitClass: 'orders-read',
  },
];
