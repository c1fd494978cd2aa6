export * from './audit-entry';
export * from './identity-hash';
export * from './hash-chain';
export * from './anomaly-rules';
