export * from './request-context';
export * from './trace-context';
export * from './caller';
