import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTaxExchange1767225600000 implements MigrationInterface {
  name = 'CreateTaxExchange1767225600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "exchange_tax"."income_records" (
      "record_id" text NOT NULL,
      "id_number" character varying(18) NOT NULL,
      "period" character(7) NOT NULL,
      "item" text NOT NULL,
      "income_fen" bigint NOT NULL,
      "tax_fen" bigint NOT NULL,
      "withholder" text NOT NULL,
      "loaded_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "income_records_pkey" PRIMARY KEY ("record_id"))`);
    await runner.query(`CREATE INDEX "income_records_id_number_period_idx" ON "exchange_tax"."income_records" ("id_number", "period")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "exchange_tax"."income_records"`);
  }
}
