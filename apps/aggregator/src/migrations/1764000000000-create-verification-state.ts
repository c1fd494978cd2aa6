import { MigrationInterface, QueryRunner } from 'typeorm';

/** Verifications, their rounds, provider requests and answers, and the issued report versions. */
export class CreateVerificationState1764000000000 implements MigrationInterface {
  name = 'CreateVerificationState1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "aggregator"."verifications" (
      "id" uuid NOT NULL,
      "program" text NOT NULL,
      "purpose" text NOT NULL,
      "region_code" text NOT NULL,
      "as_of" date NOT NULL,
      "members" jsonb NOT NULL,
      "authorizations" jsonb NOT NULL,
      "declared" jsonb NULL,
      "policy" jsonb NOT NULL,
      "requested_at" timestamptz NOT NULL,
      "requested_by" text NOT NULL,
      "interactive" boolean NOT NULL,
      "status" text NOT NULL,
      "current_round" integer NOT NULL,
      "report_version" integer NOT NULL DEFAULT 0,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      "updated_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "verifications_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "verifications_status_check" CHECK ("status" IN ('pending', 'complete', 'partial')))`);

    await runner.query(`CREATE TABLE "aggregator"."verification_rounds" (
      "verification_id" uuid NOT NULL,
      "round" integer NOT NULL,
      "recheck_reason" text NULL,
      "requested_at" timestamptz NOT NULL,
      "requested_by" text NOT NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "verification_rounds_pkey" PRIMARY KEY ("verification_id", "round"),
      CONSTRAINT "verification_rounds_requested_at_key" UNIQUE ("verification_id", "requested_at"),
      CONSTRAINT "verification_rounds_verification_fk" FOREIGN KEY ("verification_id")
        REFERENCES "aggregator"."verifications" ("id"))`);

    await runner.query(`CREATE TABLE "aggregator"."provider_requests" (
      "request_id" uuid NOT NULL,
      "verification_id" uuid NOT NULL,
      "round" integer NOT NULL,
      "provider" text NOT NULL,
      "status" text NOT NULL,
      "deadline" timestamptz NOT NULL,
      "requested_at" timestamptz NOT NULL,
      "responded_at" timestamptz NULL,
      "late" boolean NOT NULL DEFAULT false,
      "record_count" integer NOT NULL DEFAULT 0,
      "reason" text NULL,
      CONSTRAINT "provider_requests_pkey" PRIMARY KEY ("request_id"),
      CONSTRAINT "provider_requests_round_key" UNIQUE ("verification_id", "provider", "round"),
      CONSTRAINT "provider_requests_status_check"
        CHECK ("status" IN ('pending', 'answered', 'no_record', 'timeout', 'error', 'not_queried')),
      CONSTRAINT "provider_requests_verification_fk" FOREIGN KEY ("verification_id")
        REFERENCES "aggregator"."verifications" ("id"))`);
    await runner.query(
      `CREATE INDEX "provider_requests_pending_deadline_idx" ON "aggregator"."provider_requests" ("deadline")
       WHERE "status" = 'pending'`,
    );

    await runner.query(`CREATE TABLE "aggregator"."provider_answers" (
      "request_id" uuid NOT NULL,
      "records" jsonb NOT NULL,
      "not_found" jsonb NOT NULL,
      "answered_at" timestamptz NOT NULL,
      "signature" text NULL,
      CONSTRAINT "provider_answers_pkey" PRIMARY KEY ("request_id"),
      CONSTRAINT "provider_answers_request_fk" FOREIGN KEY ("request_id")
        REFERENCES "aggregator"."provider_requests" ("request_id"))`);

    await runner.query(`CREATE TABLE "aggregator"."report_versions" (
      "verification_id" uuid NOT NULL,
      "version" integer NOT NULL,
      "round" integer NOT NULL,
      "status" text NOT NULL,
      "report" jsonb NOT NULL,
      "change_reason" text NOT NULL,
      "changes" jsonb NULL,
      "created_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "report_versions_pkey" PRIMARY KEY ("verification_id", "version"),
      CONSTRAINT "report_versions_status_check" CHECK ("status" IN ('complete', 'partial')),
      CONSTRAINT "report_versions_verification_fk" FOREIGN KEY ("verification_id")
        REFERENCES "aggregator"."verifications" ("id"))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "aggregator"."report_versions"`);
    await runner.query(`DROP TABLE "aggregator"."provider_answers"`);
    await runner.query(`DROP TABLE "aggregator"."provider_requests"`);
    await runner.query(`DROP TABLE "aggregator"."verification_rounds"`);
    await runner.query(`DROP TABLE "aggregator"."verifications"`);
  }
}
