export * from './check';
export * from './catalog.contract';
export * from './basket.contract';
export * from './ordering.contract';
