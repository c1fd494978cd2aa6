export * from './data-source';
export * from './outbox/outbox-message.entity';
export * from './outbox/outbox-migration';
export * from './outbox/outbox';
export * from './database-url';
export * from './embedded/embedded-postgres';
export * from './embedded/data-directory';
export * from './redacting-query-logger';
