export * from './generated';
export * from './topics';
export type { MessageFns } from './generated/verihub/provider/v1/query';
export * from './mapping/records.mapping';
export * from './signed-bytes';
export * from './audit-packing';
