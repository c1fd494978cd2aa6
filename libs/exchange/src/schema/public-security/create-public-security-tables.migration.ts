import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePublicSecurityExchange1767225600000 implements MigrationInterface {
  name = 'CreatePublicSecurityExchange1767225600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "exchange_public_security"."persons" (
      "record_id" text NOT NULL,
      "id_number" character varying(18) NOT NULL,
      "name" text NOT NULL,
      "sex" text NOT NULL,
      "birth_date" date NOT NULL,
      "hukou_type" text NOT NULL,
      "hukou_region_code" text NOT NULL,
      "household_number" text NOT NULL,
      "status" text NOT NULL,
      "death_date" date NULL,
      "loaded_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "persons_pkey" PRIMARY KEY ("record_id"))`);
    await runner.query(`CREATE INDEX "persons_id_number_idx" ON "exchange_public_security"."persons" ("id_number")`);
    await runner.query(`CREATE TABLE "exchange_public_security"."vehicles" (
      "record_id" text NOT NULL,
      "id_number" character varying(18) NOT NULL,
      "plate" text NOT NULL,
      "vehicle_type" text NOT NULL,
      "brand" text NOT NULL,
      "first_registration_date" date NOT NULL,
      "use_type" text NOT NULL,
      "status" text NOT NULL,
      "loaded_at" timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT "vehicles_pkey" PRIMARY KEY ("record_id"))`);
    await runner.query(`CREATE INDEX "vehicles_id_number_idx" ON "exchange_public_security"."vehicles" ("id_number")`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "exchange_public_security"."vehicles"`);
    await runner.query(`DROP TABLE "exchange_public_security"."persons"`);
  }
}
