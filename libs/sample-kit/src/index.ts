// Shared by the sample services only; test helpers live in `@app/sample-kit/testing`.
export * from './basket-checkout.dto';
export * from './basket-item.dto';
export * from './bearer-auth.guard';
export * from './current-principal.decorator';
export * from './env';
export * from './problem-details.filter';
export * from './run-sample';
export * from './sample-auth.module';
export * from './sample-auth.options';
export * from './validation.pipe';
