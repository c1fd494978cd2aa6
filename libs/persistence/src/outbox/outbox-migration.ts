import { MigrationInterface, QueryRunner } from 'typeorm';

/** The outbox table of one service's schema; each service lists this class in its migrations. */
export function createOutboxMigration(schema: string, timestamp: number): new () => MigrationInterface {
  const name = `CreateOutbox${timestamp}`;
  const migration = class implements MigrationInterface {
    name = name;
    async up(runner: QueryRunner): Promise<void> {
      await runner.query(`CREATE TABLE "${schema}"."outbox" (
        "id" BIGSERIAL PRIMARY KEY,
        "topic" text NOT NULL,
        "message_key" text NOT NULL,
        "value" bytea NOT NULL,
        "headers" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "published_at" timestamptz NULL)`);
      await runner.query(`CREATE INDEX "outbox_unpublished_idx" ON "${schema}"."outbox" ("id") WHERE published_at IS NULL`);
    }
    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP TABLE "${schema}"."outbox"`);
    }
  };
  Object.defineProperty(migration, 'name', { value: name });
  return migration;
}

/**
 * The outbox's second index: unpublished rows by topic, so the relay finds the rows of its first topics
 * (OutboxRelayOptions.firstTopics) without reading a batch's whole backlog.
 */
export function createOutboxTopicIndexMigration(schema: string, timestamp: number): new () => MigrationInterface {
  const name = `AddOutboxTopicIndex${timestamp}`;
  const migration = class implements MigrationInterface {
    name = name;
    async up(runner: QueryRunner): Promise<void> {
      await runner.query(`CREATE INDEX "outbox_topic_unpublished_idx" ON "${schema}"."outbox" ("topic", "id") WHERE published_at IS NULL`);
    }
    async down(runner: QueryRunner): Promise<void> {
      await runner.query(`DROP INDEX "${schema}"."outbox_topic_unpublished_idx"`);
    }
  };
  Object.defineProperty(migration, 'name', { value: name });
  return migration;
}
