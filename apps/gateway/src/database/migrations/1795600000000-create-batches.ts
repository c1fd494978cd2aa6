import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Batches (issue 5): a caseload handed over as one file. `batches` holds the batch and its counts;
 * `batch_items` one row per accepted line (the request, the verification id chosen at upload, and whether
 * it has been submitted yet); `batch_rejections` one row per refused line (its number and the errors —
 * field paths and rules, never values). An item's verification id is fixed at upload and verifications
 * are keyed by it, so a household is never verified twice by one batch, whatever restarts in between.
 */
export class CreateBatches1795600000000 implements MigrationInterface {
  name = 'CreateBatches1795600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "gateway"."batches" (
      "id" uuid NOT NULL,
      "status" text NOT NULL,
      "format" text NOT NULL,
      "file_name" text NULL,
      "region_code" text NULL,
      "created_by" text NOT NULL,
      "created_at" timestamptz NOT NULL,
      "started_at" timestamptz NULL,
      "finished_at" timestamptz NULL,
      "cancelled_by" text NULL,
      "total" int NOT NULL,
      "accepted" int NOT NULL,
      "rejected" int NOT NULL,
      CONSTRAINT "batches_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "batches_status_check" CHECK ("status" IN ('running', 'completed', 'cancelled')),
      CONSTRAINT "batches_format_check" CHECK ("format" IN ('jsonl', 'csv')),
      CONSTRAINT "batches_counts_check" CHECK ("total" = "accepted" + "rejected" AND "accepted" >= 0 AND "rejected" >= 0))`);
    await runner.query(`CREATE INDEX "batches_status_idx" ON "gateway"."batches" ("status")`);
    await runner.query(`CREATE INDEX "batches_created_idx" ON "gateway"."batches" ("created_at")`);

    await runner.query(`CREATE TABLE "gateway"."batch_items" (
      "batch_id" uuid NOT NULL,
      "line" int NOT NULL,
      "verification_id" uuid NOT NULL,
      "state" text NOT NULL,
      "request" jsonb NOT NULL,
      "refusal" jsonb NULL,
      "submitted_at" timestamptz NULL,
      CONSTRAINT "batch_items_pkey" PRIMARY KEY ("batch_id", "line"),
      CONSTRAINT "batch_items_verification_key" UNIQUE ("verification_id"),
      CONSTRAINT "batch_items_batch_fkey" FOREIGN KEY ("batch_id") REFERENCES "gateway"."batches" ("id"),
      CONSTRAINT "batch_items_state_check" CHECK ("state" IN ('queued', 'submitted', 'refused', 'cancelled')))`);
    await runner.query(`CREATE INDEX "batch_items_queued_idx" ON "gateway"."batch_items" ("batch_id", "line") WHERE "state" = 'queued'`);

    await runner.query(`CREATE TABLE "gateway"."batch_rejections" (
      "batch_id" uuid NOT NULL,
      "line" int NOT NULL,
      "errors" jsonb NOT NULL,
      CONSTRAINT "batch_rejections_pkey" PRIMARY KEY ("batch_id", "line"),
      CONSTRAINT "batch_rejections_batch_fkey" FOREIGN KEY ("batch_id") REFERENCES "gateway"."batches" ("id"))`);
    // The runner's back-pressure counts pending verifications on every step.
    await runner.query(`CREATE INDEX "verifications_pending_idx" ON "gateway"."verifications" ("created_at") WHERE "status" = 'pending'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX "gateway"."verifications_pending_idx"`);
    await runner.query(`DROP TABLE "gateway"."batch_rejections"`);
    await runner.query(`DROP TABLE "gateway"."batch_items"`);
    await runner.query(`DROP TABLE "gateway"."batches"`);
  }
}
