/**
 * One way to build a service's DataSource, shared by the app and the migration command: each service
 * owns a PostgreSQL schema, its own migrations table inside it, and never synchronizes.
 */
import { DataSource, DataSourceOptions, EntitySchema, MigrationInterface } from 'typeorm';
import { RedactingQueryLogger } from './redacting-query-logger';

type EntityClass = Function | EntitySchema<unknown>;
type MigrationClass = new () => MigrationInterface;

export interface ServiceDatabaseOptions {
  /** postgres://user:pass@host:port/db */
  url: string;
  /** The service's own schema, e.g. "aggregator". */
  schema: string;
  entities: EntityClass[];
  migrations: MigrationClass[];
  /** Pool size; batch paths raise it. */
  poolSize?: number;
  applicationName?: string;
}

export function serviceDataSourceOptions(options: ServiceDatabaseOptions): DataSourceOptions {
  if (!/^[a-z][a-z0-9_]*$/.test(options.schema)) throw new Error(`schema "${options.schema}" must be snake_case`);
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    logging: ['error', 'warn', 'migration'],
    logger: new RedactingQueryLogger(),
    // At least 2: migrateServiceDatabase holds its advisory lock on one connection while migrating on another.
    extra: { max: Math.max(2, options.poolSize ?? 10), application_name: options.applicationName ?? options.schema },
  };
}

export function createServiceDataSource(options: ServiceDatabaseOptions): DataSource {
  return new DataSource(serviceDataSourceOptions(options));
}

/**
 * Runs pending migrations as one explicit step, under a PostgreSQL advisory lock so that two
 * processes starting together do not race. Creates the schema first (the migrations table lives in it).
 */
export async function migrateServiceDatabase(dataSource: DataSource, schema: string): Promise<string[]> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`verihub.migrate.${schema}`]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`verihub.migrate.${schema}`]).catch(() => undefined);
    await runner.release();
  }
}

/**
 * Drift check (as vendure's migrate.ts): the SQL TypeORM would run to bring the schema in line with the
 * entities. Empty means the migrations describe the entities exactly.
 */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return log.upQueries.map((q) => q.query);
}
