import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Review and objections (issue 3, items 5–6): report signatures and objections, and the rule that report
 * versions, signatures and objections are written once and never changed: triggers refuse every UPDATE,
 * DELETE and TRUNCATE, whatever code (or person with SQL access) tries it.
 */
export class CreateReviewTables1795100000000 implements MigrationInterface {
  name = 'CreateReviewTables1795100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "gateway"."report_signatures" (
      "verification_id" uuid NOT NULL,
      "version" integer NOT NULL,
      "signed_by" text NOT NULL,
      "signed_at" timestamptz NOT NULL,
      "comment" text NULL,
      CONSTRAINT "report_signatures_pkey" PRIMARY KEY ("verification_id", "version"),
      CONSTRAINT "report_signatures_report_version_fkey" FOREIGN KEY ("verification_id", "version")
        REFERENCES "gateway"."report_versions" ("verification_id", "version") ON DELETE NO ACTION ON UPDATE NO ACTION)`);

    await runner.query(`CREATE TABLE "gateway"."objections" (
      "id" uuid NOT NULL,
      "verification_id" uuid NOT NULL,
      "version" integer NOT NULL,
      "reason" text NOT NULL,
      "raised_by" text NULL,
      "received_at" timestamptz NOT NULL,
      "report_received_at" timestamptz NOT NULL,
      "recorded_by" text NOT NULL,
      "recorded_at" timestamptz NOT NULL,
      CONSTRAINT "objections_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "objections_signature_fkey" FOREIGN KEY ("verification_id", "version")
        REFERENCES "gateway"."report_signatures" ("verification_id", "version") ON DELETE NO ACTION ON UPDATE NO ACTION)`);
    await runner.query(`CREATE INDEX "objections_verification_idx" ON "gateway"."objections" ("verification_id", "recorded_at")`);

    await runner.query(`CREATE FUNCTION "gateway"."refuse_change_of_written_record"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% of %.% refused: its rows are written once and never changed', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
          USING ERRCODE = 'restrict_violation';
      END
    $$`);
    for (const table of ['report_versions', 'report_signatures', 'objections']) {
      await runner.query(`CREATE TRIGGER "${table}_written_once" BEFORE UPDATE OR DELETE ON "gateway"."${table}"
        FOR EACH ROW EXECUTE FUNCTION "gateway"."refuse_change_of_written_record"()`);
      await runner.query(`CREATE TRIGGER "${table}_not_truncated" BEFORE TRUNCATE ON "gateway"."${table}"
        FOR EACH STATEMENT EXECUTE FUNCTION "gateway"."refuse_change_of_written_record"()`);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['objections', 'report_signatures', 'report_versions']) {
      await runner.query(`DROP TRIGGER "${table}_not_truncated" ON "gateway"."${table}"`);
      await runner.query(`DROP TRIGGER "${table}_written_once" ON "gateway"."${table}"`);
    }
    await runner.query(`DROP FUNCTION "gateway"."refuse_change_of_written_record"()`);
    await runner.query(`DROP TABLE "gateway"."objections"`);
    await runner.query(`DROP TABLE "gateway"."report_signatures"`);
  }
}
