import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * provider_answers.key_id: the id of the provider's registered key its answer's signature was verified with
 * (the signature itself is in provider_answers.signature). Null for answers stored before answers were signed.
 */
export class AddAnswerKeyId1767000000000 implements MigrationInterface {
  name = 'AddAnswerKeyId1767000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "aggregator"."provider_answers" ADD "key_id" text NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "aggregator"."provider_answers" DROP COLUMN "key_id"`);
  }
}
