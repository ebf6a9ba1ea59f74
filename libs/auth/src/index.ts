export * from './jwt-verifier';
export * from './auth.errors';
export * from './jwks-key-source';
