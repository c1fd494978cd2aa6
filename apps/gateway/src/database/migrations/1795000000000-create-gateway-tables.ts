import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, policies, the verification read model and report versions (schema "gateway"). */
export class CreateGatewayTables1795000000000 implements MigrationInterface {
  name = 'CreateGatewayTables1795000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "gateway"."users" (
      "id" uuid NOT NULL,
      "username" text NOT NULL,
      "password_hash" text NOT NULL,
      "role" text NOT NULL,
      "region_code" text NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "users_username_key" UNIQUE ("username"),
      CONSTRAINT "users_role_check" CHECK ("role" IN ('officer', 'reviewer', 'auditor', 'admin', 'operator')))`);

    await runner.query(`CREATE TABLE "gateway"."policies" (
      "id" uuid NOT NULL,
      "version" integer NOT NULL,
      "region_code" text NOT NULL,
      "program" text NOT NULL,
      "effective_from" date NOT NULL,
      "rules" jsonb NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "created_by" text NOT NULL,
      CONSTRAINT "policies_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "policies_region_program_version_key" UNIQUE ("region_code", "program", "version"))`);
    await runner.query(
      `CREATE INDEX "policies_applicable_idx" ON "gateway"."policies" ("region_code", "program", "effective_from")`,
    );

    await runner.query(`CREATE TABLE "gateway"."verifications" (
      "id" uuid NOT NULL,
      "program" text NOT NULL,
      "purpose" text NOT NULL,
      "region_code" text NOT NULL,
      "as_of" date NOT NULL,
      "members" jsonb NOT NULL,
      "declared" jsonb NULL,
      "authorizations" jsonb NOT NULL,
      "policy_id" uuid NOT NULL,
      "policy_version" integer NOT NULL,
      "status" text NOT NULL,
      "sources" jsonb NOT NULL,
      "report_version" integer NOT NULL DEFAULT 0,
      "created_by" text NOT NULL,
      "created_at" timestamptz NOT NULL,
      "updated_at" timestamptz NOT NULL,
      "state_updated_at" timestamptz NULL,
      CONSTRAINT "verifications_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "verifications_status_check" CHECK ("status" IN ('pending', 'complete', 'partial')),
      CONSTRAINT "verifications_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "gateway"."policies" ("id")
        ON DELETE NO ACTION ON UPDATE NO ACTION)`);
    await runner.query(
      `CREATE INDEX "verifications_region_created_idx" ON "gateway"."verifications" ("region_code", "created_at")`,
    );
    await runner.query(`CREATE INDEX "verifications_created_idx" ON "gateway"."verifications" ("created_at")`);

    await runner.query(`CREATE TABLE "gateway"."report_versions" (
      "verification_id" uuid NOT NULL,
      "version" integer NOT NULL,
      "report" jsonb NOT NULL,
      "change_reason" text NOT NULL,
      "changes" jsonb NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "report_versions_pkey" PRIMARY KEY ("verification_id", "version"),
      CONSTRAINT "report_versions_verification_id_fkey" FOREIGN KEY ("verification_id")
        REFERENCES "gateway"."verifications" ("id") ON DELETE NO ACTION ON UPDATE NO ACTION)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "gateway"."report_versions"`);
    await runner.query(`DROP TABLE "gateway"."verifications"`);
    await runner.query(`DROP TABLE "gateway"."policies"`);
    await runner.query(`DROP TABLE "gateway"."users"`);
  }
}
