import { MigrationInterface, QueryRunner } from 'typeorm';

/** One schema for every bank of the reference implementation: rows carry their bank_code. */
export class CreateBankExchange1767225600000 implements MigrationInterface {
  name = 'CreateBankExchange1767225600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "exchange_bank"."holdings" (
      "bank_code" text NOT NULL,
      "record_id" text NOT NULL,
      "id_number" character varying(18) NOT NULL,
      "account_no" text NOT NULL,
      "product" text NOT NULL,
      "balance_fen" bigint NOT NULL,
      "as_of" date NOT NULL,
      "loaded_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "holdings_pkey" PRIMARY KEY ("bank_code", "record_id"))`);
    await runner.query(`CREATE INDEX "holdings_bank_id_number_as_of_idx" ON "exchange_bank"."holdings" ("bank_code", "id_number", "as_of")`);
    await runner.query(`CREATE TABLE "exchange_bank"."interest_records" (
      "bank_code" text NOT NULL,
      "record_id" text NOT NULL,
      "id_number" character varying(18) NOT NULL,
      "account_no" text NOT NULL,
      "period" character(7) NOT NULL,
      "interest_fen" bigint NOT NULL,
      "loaded_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "interest_records_pkey" PRIMARY KEY ("bank_code", "record_id"))`);
    await runner.query(
      `CREATE INDEX "interest_records_bank_id_number_period_idx" ON "exchange_bank"."interest_records" ("bank_code", "id_number", "period")`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "exchange_bank"."interest_records"`);
    await runner.query(`DROP TABLE "exchange_bank"."holdings"`);
  }
}
