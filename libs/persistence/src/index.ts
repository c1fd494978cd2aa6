export * from './data-source';
export * from './outbox/outbox-message.entity';
export * from './outbox/outbox-migration';
export * from './outbox/outbox';
export * from './database-url';
