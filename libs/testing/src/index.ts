export * from './bff-harness';
export * from './test-identity';
export * from './test-server';
export * from './contract-double';
export * from './client-harness';
export * from './raw-http';
export * from './openapi-validator';
