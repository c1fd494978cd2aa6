import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log: one append-only, hash-chained table.
 * - A statement trigger refuses every UPDATE, DELETE and TRUNCATE, whoever runs it (only the table's owner
 *   can disable it, with ALTER TABLE … DISABLE TRIGGER, and the hash chain then shows what changed).
 * - UPDATE, DELETE and TRUNCATE are revoked from PUBLIC, and the NOLOGIN role verihub_audit_writer gets
 *   SELECT and INSERT only: a deployment's audit login is a member of it and does not own the table
 *   (README "Database privileges"). The role is cluster-wide; it is created once, by whichever database
 *   migrates first, and only when the migrating user may create roles.
 * - Nothing is ever deleted: retention is at least three years (PIPL art. 54–56 practice); see the README
 *   for partitioning and archiving.
 */
export class CreateAuditLog1796000000000 implements MigrationInterface {
  name = 'CreateAuditLog1796000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "audit"."entries" (
      "sequence" bigint NOT NULL,
      "event_id" uuid NOT NULL,
      "recorded_at" timestamptz NOT NULL,
      "occurred_at" timestamptz NOT NULL,
      "source_service" text NOT NULL,
      "actor_username" text NOT NULL,
      "actor_role" text NOT NULL,
      "actor_region" text NULL,
      "actor_organisation" text NULL,
      "action" text NOT NULL,
      "verification_id" uuid NULL,
      "program" text NULL,
      "purpose" text NULL,
      "region_code" text NULL,
      "authorization_refs" text[] NOT NULL,
      "provider" text NULL,
      "subject_hashes" text[] NOT NULL,
      "subjects_masked" text[] NOT NULL,
      "data_categories" text[] NOT NULL,
      "outcome_status" text NULL,
      "record_count" integer NULL,
      "latency_ms" integer NULL,
      "previous_hash" text NOT NULL,
      "entry_hash" text NOT NULL,
      CONSTRAINT "entries_pkey" PRIMARY KEY ("sequence"),
      CONSTRAINT "entries_event_id_key" UNIQUE ("event_id"),
      CONSTRAINT "entries_entry_hash_key" UNIQUE ("entry_hash"),
      CONSTRAINT "entries_sequence_check" CHECK ("sequence" > 0),
      CONSTRAINT "entries_hashes_check" CHECK ("previous_hash" ~ '^[0-9a-f]{64}$' AND "entry_hash" ~ '^[0-9a-f]{64}$'))`);
    await runner.query(`CREATE INDEX "entries_occurred_at_idx" ON "audit"."entries" ("occurred_at")`);
    await runner.query(`CREATE INDEX "entries_actor_occurred_at_idx" ON "audit"."entries" ("actor_username", "occurred_at")`);
    await runner.query(`CREATE INDEX "entries_verification_id_idx" ON "audit"."entries" ("verification_id")`);
    await runner.query(`CREATE INDEX "entries_provider_occurred_at_idx" ON "audit"."entries" ("provider", "occurred_at")`);
    await runner.query(`CREATE INDEX "entries_subject_hashes_idx" ON "audit"."entries" USING gin ("subject_hashes")`);

    await runner.query(`CREATE FUNCTION "audit"."refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit.entries is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege', HINT = 'audit entries are never changed or removed';
      END
    $$`);
    await runner.query(`CREATE TRIGGER "entries_append_only"
      BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit"."entries"
      FOR EACH STATEMENT EXECUTE FUNCTION "audit"."refuse_change"()`);
    await runner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "audit"."entries" FROM PUBLIC`);

    await runner.query(`DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'verihub_audit_writer') THEN
          BEGIN
            CREATE ROLE verihub_audit_writer NOLOGIN;
          EXCEPTION
            -- another database's migration created it at the same moment
            WHEN duplicate_object OR unique_violation THEN NULL;
            WHEN insufficient_privilege THEN
              RAISE NOTICE 'verihub_audit_writer not created: the migrating user may not create roles (see apps/audit/README.md)';
              RETURN;
          END;
        END IF;
        GRANT USAGE ON SCHEMA "audit" TO verihub_audit_writer;
        GRANT SELECT, INSERT ON "audit"."entries" TO verihub_audit_writer;
      END
    $$`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'verihub_audit_writer') THEN
          REVOKE ALL ON "audit"."entries" FROM verihub_audit_writer;
          REVOKE USAGE ON SCHEMA "audit" FROM verihub_audit_writer;
        END IF;
      END
    $$`);
    await runner.query(`DROP TABLE "audit"."entries"`);
    await runner.query(`DROP FUNCTION "audit"."refuse_change"()`);
  }
}
