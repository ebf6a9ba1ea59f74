export * from './rate-limit.constants';
export * from './rate-limit.counters';
export * from './rate-limit.decorator';
export * from './rate-limit.guard';
export * from './rate-limit.module';
export * from './rate-limit.settings';
export * from './resilient-throttler.storage';
export * from './raw-routes.limit';
