export * from './gateway';
export * from './request-guard';
export * from './route-table';
export * from './openapi';
export * from './shared-routes';
