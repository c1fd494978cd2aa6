import { MigrationInterface, QueryRunner } from 'typeorm';
import { configuredGatewayDataCipher, SealedPlaces } from '../sealed-columns';

const BATCH = 200;

/**
 * Encryption at rest of the gateway's read model (see database/sealed-columns.ts):
 * - report_versions.conclusion and issued_at: plain copies of the two report fields the gateway lists and
 *   sorts by (no personal data), so the report itself can be sealed;
 * - data_keys: one row per data key that sealed anything, with a known value (startGateway checks the key);
 * - every row written before: members, declared, authorizations, report and changes sealed under the key
 *   given to migrateGateway (VERIHUB_DATA_ENCRYPTION_KEY of `main.js migrate`). Rows to seal and no key: the
 *   migration fails (and rolls back) naming the setting. The write-once trigger of report_versions is
 *   switched off for the sealing only, inside the migration's transaction.
 */
export class EncryptPersonalData1795500000000 implements MigrationInterface {
  name = 'EncryptPersonalData1795500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "gateway"."report_versions" ADD "conclusion" text NULL`);
    await runner.query(`ALTER TABLE "gateway"."report_versions" ADD "issued_at" text NULL`);
    await runner.query(`CREATE TABLE "gateway"."data_keys" (
      "kid" text NOT NULL,
      "check_value" jsonb NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "data_keys_pkey" PRIMARY KEY ("kid"))`);

    const [{ plain }] = (await runner.query(
      `SELECT (SELECT count(*) FROM gateway.verifications WHERE jsonb_typeof(members) = 'array')
            + (SELECT count(*) FROM gateway.report_versions) AS plain`,
    )) as Array<{ plain: string }>;
    if (Number(plain) === 0) return;
    const cipher = configuredGatewayDataCipher();
    if (!cipher) {
      throw new Error(`${plain} gateway row(s) hold personal data in plaintext: set VERIHUB_DATA_ENCRYPTION_KEY for the migration, which encrypts them`);
    }

    for (;;) {
      const rows = (await runner.query(
        `SELECT id, members, declared, authorizations FROM gateway.verifications WHERE jsonb_typeof(members) = 'array' LIMIT ${BATCH}`,
      )) as Array<{ id: string; members: unknown; declared: unknown; authorizations: unknown }>;
      if (rows.length === 0) break;
      for (const r of rows) {
        await runner.query(`UPDATE gateway.verifications SET members = $2, declared = $3, authorizations = $4 WHERE id = $1`, [
          r.id,
          JSON.stringify(cipher.seal(r.members, SealedPlaces.members)),
          r.declared === null ? null : JSON.stringify(cipher.seal(r.declared, SealedPlaces.declared)),
          JSON.stringify(cipher.seal(r.authorizations, SealedPlaces.authorizations)),
        ]);
      }
    }

    await runner.query(`ALTER TABLE "gateway"."report_versions" DISABLE TRIGGER "report_versions_written_once"`);
    for (;;) {
      const rows = (await runner.query(
        `SELECT verification_id, version, report, changes FROM gateway.report_versions
          WHERE NOT (report ? 'ct' AND report ? 'kid') LIMIT ${BATCH}`,
      )) as Array<{ verification_id: string; version: number; report: Record<string, unknown>; changes: unknown }>;
      if (rows.length === 0) break;
      for (const r of rows) {
        await runner.query(
          `UPDATE gateway.report_versions SET report = $3, changes = $4, conclusion = $5, issued_at = $6 WHERE verification_id = $1 AND version = $2`,
          [
            r.verification_id,
            r.version,
            JSON.stringify(cipher.seal(r.report, SealedPlaces.report)),
            r.changes === null ? null : JSON.stringify(cipher.seal(r.changes, SealedPlaces.changes)),
            typeof r.report.conclusion === 'string' ? r.report.conclusion : null,
            typeof r.report.issuedAt === 'string' ? r.report.issuedAt : null,
          ],
        );
      }
    }
    await runner.query(`ALTER TABLE "gateway"."report_versions" ENABLE TRIGGER "report_versions_written_once"`);
  }

  async down(runner: QueryRunner): Promise<void> {
    // Sealed rows stay sealed (opening them needs the key, which a down migration does not take).
    await runner.query(`DROP TABLE "gateway"."data_keys"`);
    await runner.query(`ALTER TABLE "gateway"."report_versions" DROP COLUMN "issued_at"`);
    await runner.query(`ALTER TABLE "gateway"."report_versions" DROP COLUMN "conclusion"`);
  }
}
