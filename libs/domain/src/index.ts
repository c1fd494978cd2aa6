export * from './identity-number';
export * from './periods';
export * from './providers';
export * from './verification-request';
export * from './records';
export * from './policy';
export * from './report/report.types';
export * from './provider-data-source';
