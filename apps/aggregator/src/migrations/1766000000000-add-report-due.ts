import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * verifications.report_due_since: a late answer to a round whose report is out is recorded at once, and
 * the new report version that includes it is issued by the sweeper a short window later, together with
 * every other late answer that arrived meanwhile (one version, not one per answer).
 */
export class AddReportDue1766000000000 implements MigrationInterface {
  name = 'AddReportDue1766000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "aggregator"."verifications" ADD "report_due_since" timestamptz NULL`);
    await runner.query(
      `CREATE INDEX "verifications_report_due_idx" ON "aggregator"."verifications" ("report_due_since")
       WHERE "report_due_since" IS NOT NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX "aggregator"."verifications_report_due_idx"`);
    await runner.query(`ALTER TABLE "aggregator"."verifications" DROP COLUMN "report_due_since"`);
  }
}
