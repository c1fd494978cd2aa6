/**
 * The adapter's own schema holds only its idempotency table (and its migrations table). The schema name
 * depends on the provider, so migrations are built per schema, as the outbox migration is.
 */
import type { MigrationInterface, QueryRunner } from 'typeorm';

type MigrationClass = new () => MigrationInterface;

function createHandledRequestsMigration(schema: string): MigrationClass {
  const name = 'CreateHandledRequests1763900000000';
  const migration = class implements MigrationInterface {
    name = name;
    async up(runner: QueryRunner): Promise<void> {
      await runner.query(`CREATE TABLE "${schema}"."handled_requests" (
        "request_id" text PRIMARY KEY,
        "verification_id" text NOT NULL,
        "provider" text NOT NULL,
        "first_received_at" timestamptz NOT NULL,
        "deliveries" integer NOT NULL,
        "outcome" text NOT NULL,
        "answered_at" timestamptz NULL,
        "record_count" integer NULL)`);
    }
    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP TABLE "${schema}"."handled_requests"`);
    }
  };
  Object.defineProperty(migration, 'name', { value: name });
  return migration;
}

/** Every migration of an adapter state schema, in order. */
export function adapterStateMigrations(schema: string): MigrationClass[] {
  return [createHandledRequestsMigration(schema)];
}
