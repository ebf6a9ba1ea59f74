import type { GatewayRoute } from './route-table';

/** Passthrough routes several clients need, declared once; each BFF's table picks the ones it exposes. */
export const SHARED_ROUTES = {
  catalogBrands: {
    path: '/api/catalog/brands',
    methods: ['GET'],
    service: 'catalog',
    downstreamPath: '/api/v1/catalog/catalogbrands',
    auth: 'none',
    cacheTtlMs: 60_000,
    rateLimitClass: 'catalog-read',
  },
  catalogTypes: {
    path: '/api/catalog/types',
    methods: ['GET'],
    service: 'catalog',
    downstreamPath: '/api/v1/catalog/catalogtypes',
    auth: 'none',
    cacheTtlMs: 60_000,
    rateLimitClass: 'catalog-read',
  },
  cardTypes: {
    path: '/api/orders/cardtypes',
    methods: ['GET'],
    service: 'ordering',
    downstreamPath: '/api/v1/orders/cardtypes',
    auth: 'required',
    cacheTtlMs: 0,
    rateLimitClass: 'orders-read',
  },
} as const satisfies Record<string, GatewayRoute>;
