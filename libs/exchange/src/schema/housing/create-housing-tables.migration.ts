import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateHousingExchange1767225600000 implements MigrationInterface {
  name = 'CreateHousingExchange1767225600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "exchange_housing"."properties" (
      "record_id" text NOT NULL,
      "id_number" character varying(18) NOT NULL,
      "certificate_no" text NOT NULL,
      "address" text NOT NULL,
      "property_use" text NOT NULL,
      "floor_area_centi_m2" integer NOT NULL,
      "share_basis_points" integer NOT NULL,
      "registered_at" date NOT NULL,
      "status" text NOT NULL,
      "loaded_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "properties_pkey" PRIMARY KEY ("record_id"))`);
    await runner.query(`CREATE INDEX "properties_id_number_idx" ON "exchange_housing"."properties" ("id_number", "registered_at")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "exchange_housing"."properties"`);
  }
}
