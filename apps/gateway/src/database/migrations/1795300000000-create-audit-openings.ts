import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit openings (issue 4 item 4): an auditor opened a report body for an audit, with the reason they gave.
 * The reason is free text, which the audit log's contract does not carry; it is kept here, written once
 * (the triggers of CreateReviewTables refuse UPDATE, DELETE and TRUNCATE), and joined to the audit log's
 * audit_report_opened entry by its id (= that entry's event id).
 */
export class CreateAuditOpenings1795300000000 implements MigrationInterface {
  name = 'CreateAuditOpenings1795300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "gateway"."audit_openings" (
      "id" uuid NOT NULL,
      "verification_id" uuid NOT NULL,
      "version" integer NOT NULL,
      "reason" text NOT NULL,
      "opened_by" text NOT NULL,
      "opened_at" timestamptz NOT NULL,
      CONSTRAINT "audit_openings_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "audit_openings_reason_check" CHECK (char_length("reason") BETWEEN 1 AND 500),
      CONSTRAINT "audit_openings_report_version_fkey" FOREIGN KEY ("verification_id", "version")
        REFERENCES "gateway"."report_versions" ("verification_id", "version") ON DELETE NO ACTION ON UPDATE NO ACTION)`);
    await runner.query(`CREATE INDEX "audit_openings_verification_idx" ON "gateway"."audit_openings" ("verification_id", "opened_at")`);
    await runner.query(`CREATE TRIGGER "audit_openings_written_once" BEFORE UPDATE OR DELETE ON "gateway"."audit_openings"
      FOR EACH ROW EXECUTE FUNCTION "gateway"."refuse_change_of_written_record"()`);
    await runner.query(`CREATE TRIGGER "audit_openings_not_truncated" BEFORE TRUNCATE ON "gateway"."audit_openings"
      FOR EACH STATEMENT EXECUTE FUNCTION "gateway"."refuse_change_of_written_record"()`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "gateway"."audit_openings"`);
  }
}
