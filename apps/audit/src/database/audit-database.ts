/** The audit service's PostgreSQL schema: one DataSource definition for the app and the migration step. */
import type { DataSourceOptions } from 'typeorm';
import { serviceDataSourceOptions } from '@verihub/persistence';
import { CreateAuditLog1796000000000 } from '../migrations/1796000000000-create-audit-log';
import { AuditEntryEntity } from './audit-entry.entity';

export const AUDIT_SCHEMA = 'audit';

/** The NOLOGIN role a deployment's audit login is made a member of: SELECT and INSERT on the log, nothing else. */
export const AUDIT_WRITER_ROLE = 'verihub_audit_writer';

export const auditEntities = [AuditEntryEntity];

export const auditMigrations = [CreateAuditLog1796000000000];

export function auditDatabaseOptions(url: string, poolSize?: number): DataSourceOptions {
  return serviceDataSourceOptions({
    url,
    schema: AUDIT_SCHEMA,
    entities: auditEntities,
    migrations: auditMigrations,
    poolSize,
    applicationName: 'verihub-audit',
  });
}
