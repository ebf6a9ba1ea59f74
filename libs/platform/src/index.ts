export * from './auth.guard';
export * from './bff-app.factory';
export * from './bff-platform.module';
export * from './conditional-get.hook';
export * from './health.controller';
export * from './problem';
export * from './problem.filter';
export * from './validation';
