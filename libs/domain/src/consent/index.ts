export * from './signing-keys';
export * from './query-token';
export * from './answer-signature';
