import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Encryption at rest (see crypto/data-cipher.ts). The personal data columns stay jsonb and hold sealed values
 * ({v, kid, iv, ct, tag}) from now on; the migration cannot seal (it has no key): rows written before it are
 * sealed by the aggregator's start (DataKeyCheck), which also fills their member_hashes.
 * - verifications.member_hashes: the members' keyed identity hashes (HMAC-SHA256 under
 *   VERIHUB_IDENTITY_HASH_KEY), GIN-indexed, to find a person's verifications without decrypting;
 * - data_keys: one row per data key that ever sealed anything, holding a known value sealed under it, so a
 *   start with a wrong key fails at once instead of when a verification is read.
 */
export class EncryptPersonalData1768000000000 implements MigrationInterface {
  name = 'EncryptPersonalData1768000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "aggregator"."verifications" ADD "member_hashes" text[] NOT NULL DEFAULT '{}'`);
    await runner.query(`ALTER TABLE "aggregator"."verifications" ALTER COLUMN "member_hashes" DROP DEFAULT`);
    await runner.query(`CREATE INDEX "verifications_member_hashes_idx" ON "aggregator"."verifications" USING gin ("member_hashes")`);
    await runner.query(`CREATE TABLE "aggregator"."data_keys" (
      "kid" text NOT NULL,
      "check_value" jsonb NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "data_keys_pkey" PRIMARY KEY ("kid"))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "aggregator"."data_keys"`);
    await runner.query(`DROP INDEX "aggregator"."verifications_member_hashes_idx"`);
    await runner.query(`ALTER TABLE "aggregator"."verifications" DROP COLUMN "member_hashes"`);
  }
}
