export * from './bff-config';
export * from './bff-env.dto';
