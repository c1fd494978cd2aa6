import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts to the standard of issue 4 item 4 (apps/gateway/README.md "Accounts and sign-in"):
 * - `active`: a deactivated account cannot sign in and its tokens stop working;
 * - `provider`: the one provider a department operator belongs to (required for role operator, absent for
 *   every other role). An operator created before this column existed has none: it is deactivated here,
 *   until an administrator assigns its provider (PATCH /api/v1/users/{username});
 * - `token_version`: carried in every token and compared on each request; a password, role, region,
 *   provider or activity change bumps it, so earlier tokens stop working at once;
 * - `failed_logins`, `locked_until`: consecutive failed sign-ins and the lock they lead to (kept in the
 *   table so that a restart does not unlock anybody);
 * - `updated_at`;
 * - an index on verifications.updated_at, which bounds the provider-health counts to recent rows.
 * Existing password hashes (scrypt) stay valid: they are replaced by argon2id at the next successful sign-in.
 */
export class HardenUserAccounts1795200000000 implements MigrationInterface {
  name = 'HardenUserAccounts1795200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "gateway"."users"
      ADD COLUMN "active" boolean NOT NULL DEFAULT true,
      ADD COLUMN "provider" text NULL,
      ADD COLUMN "token_version" integer NOT NULL DEFAULT 0,
      ADD COLUMN "failed_logins" integer NOT NULL DEFAULT 0,
      ADD COLUMN "locked_until" timestamptz NULL,
      ADD COLUMN "updated_at" timestamptz NOT NULL DEFAULT now()`);
    await runner.query(`UPDATE "gateway"."users" SET "active" = false WHERE "role" = 'operator' AND "provider" IS NULL`);
    await runner.query(`ALTER TABLE "gateway"."users"
      ADD CONSTRAINT "users_provider_check" CHECK (
        "provider" IS NULL OR "provider" ~ '^(public-security|tax|housing|provident-fund|bank:[A-Z0-9]{2,16})$'),
      ADD CONSTRAINT "users_operator_provider_check" CHECK (
        ("role" = 'operator' AND ("provider" IS NOT NULL OR NOT "active")) OR ("role" <> 'operator' AND "provider" IS NULL)),
      ADD CONSTRAINT "users_counters_check" CHECK ("token_version" >= 0 AND "failed_logins" >= 0)`);
    await runner.query(`CREATE INDEX "verifications_updated_idx" ON "gateway"."verifications" ("updated_at")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX "gateway"."verifications_updated_idx"`);
    await runner.query(`ALTER TABLE "gateway"."users"
      DROP CONSTRAINT "users_counters_check",
      DROP CONSTRAINT "users_operator_provider_check",
      DROP CONSTRAINT "users_provider_check",
      DROP COLUMN "updated_at",
      DROP COLUMN "locked_until",
      DROP COLUMN "failed_logins",
      DROP COLUMN "token_version",
      DROP COLUMN "provider",
      DROP COLUMN "active"`);
  }
}
