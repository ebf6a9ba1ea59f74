import type { RouteTable } from '@app/gateway';

/**
 * web-bff's gateway routes: what the SPA reads unchanged from a downstream, streamed through.
 * Validated at start (registerGatewayRoutes); a path the app's own controllers serve is refused.
 * `/api/orders/cardtypes` is a static path, so it takes precedence over `GET /api/orders/:orderNumber`
 * (which only accepts positive integers, so no order is hidden by it).
 */
export const WEB_GATEWAY_ROUTES: RouteTable = [
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
    path: '/api/catalog/types',
    methods: ['GET'],
    service: 'catalog',
    downstreamPath: '/api/v1/catalog/catalogtypes',
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
