import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateProvidentFundExchange1767225600000 implements MigrationInterface {
  name = 'CreateProvidentFundExchange1767225600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "exchange_provident_fund"."accounts" (
      "record_id" text NOT NULL,
      "id_number" character varying(18) NOT NULL,
      "account_no" text NOT NULL,
      "status" text NOT NULL,
      "employer" text NOT NULL,
      "balance_fen" bigint NOT NULL,
      "as_of" date NOT NULL,
      "loaded_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "accounts_pkey" PRIMARY KEY ("record_id"))`);
    await runner.query(`CREATE INDEX "accounts_id_number_as_of_idx" ON "exchange_provident_fund"."accounts" ("id_number", "as_of")`);
    await runner.query(`CREATE TABLE "exchange_provident_fund"."contributions" (
      "record_id" text NOT NULL,
      "id_number" character varying(18) NOT NULL,
      "period" character(7) NOT NULL,
      "base_fen" bigint NOT NULL,
      "employee_fen" bigint NOT NULL,
      "employer_fen" bigint NOT NULL,
      "loaded_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "contributions_pkey" PRIMARY KEY ("record_id"))`);
    await runner.query(`CREATE INDEX "contributions_id_number_period_idx" ON "exchange_provident_fund"."contributions" ("id_number", "period")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "exchange_provident_fund"."contributions"`);
    await runner.query(`DROP TABLE "exchange_provident_fund"."accounts"`);
  }
}
