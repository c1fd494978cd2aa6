export * from './message';
export * from './config';
