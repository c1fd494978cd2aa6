import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Authorizations (授权书) as records (issue 4 item 1): one row per signed document, naming the member by
 * keyed hash and masked form (never the raw identity number), the signer likewise (and whether they
 * signed for themself or as a guardian), the signed and expiry times, the providers covered (NULL: every
 * provider) and the revocation, if any. verification_authorizations links each verification to the
 * records it cites. A record is never deleted, and the only change it accepts is its revocation, once:
 * a trigger refuses any other UPDATE, every DELETE and TRUNCATE.
 */
export class CreateAuthorizationRecords1795400000000 implements MigrationInterface {
  name = 'CreateAuthorizationRecords1795400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE "gateway"."authorizations" (
      "id" uuid NOT NULL,
      "document_ref" text NOT NULL,
      "member_id_hash" text NOT NULL,
      "member_id_masked" text NOT NULL,
      "signer_id_hash" text NOT NULL,
      "signer_relation" text NOT NULL,
      "signed_at" timestamptz NOT NULL,
      "expires_at" timestamptz NOT NULL,
      "scope" text array NULL,
      "region_code" text NOT NULL,
      "created_by" text NOT NULL,
      "created_at" timestamptz NOT NULL,
      "revoked_at" timestamptz NULL,
      "revoked_by" text NULL,
      "revocation_reason" text NULL,
      CONSTRAINT "authorizations_pkey" PRIMARY KEY ("id"),
      CONSTRAINT "authorizations_document_ref_key" UNIQUE ("document_ref"),
      CONSTRAINT "authorizations_hashes_check" CHECK ("member_id_hash" ~ '^[0-9a-f]{64}$' AND "signer_id_hash" ~ '^[0-9a-f]{64}$'),
      CONSTRAINT "authorizations_signer_relation_check" CHECK ("signer_relation" IN ('self', 'guardian')),
      CONSTRAINT "authorizations_period_check" CHECK ("expires_at" > "signed_at"),
      CONSTRAINT "authorizations_revocation_check" CHECK (
        ("revoked_at" IS NULL AND "revoked_by" IS NULL AND "revocation_reason" IS NULL) OR
        ("revoked_at" IS NOT NULL AND "revoked_by" IS NOT NULL AND char_length("revocation_reason") BETWEEN 1 AND 500)))`);
    await runner.query(`CREATE INDEX "authorizations_member_idx" ON "gateway"."authorizations" ("member_id_hash")`);
    await runner.query(`CREATE INDEX "authorizations_region_created_idx" ON "gateway"."authorizations" ("region_code", "created_at")`);

    await runner.query(`CREATE TABLE "gateway"."verification_authorizations" (
      "verification_id" uuid NOT NULL,
      "authorization_id" uuid NOT NULL,
      CONSTRAINT "verification_authorizations_pkey" PRIMARY KEY ("verification_id", "authorization_id"),
      CONSTRAINT "verification_authorizations_verification_fkey" FOREIGN KEY ("verification_id")
        REFERENCES "gateway"."verifications" ("id") ON DELETE NO ACTION ON UPDATE NO ACTION,
      CONSTRAINT "verification_authorizations_authorization_fkey" FOREIGN KEY ("authorization_id")
        REFERENCES "gateway"."authorizations" ("id") ON DELETE NO ACTION ON UPDATE NO ACTION)`);
    await runner.query(
      `CREATE INDEX "verification_authorizations_authorization_idx" ON "gateway"."verification_authorizations" ("authorization_id")`,
    );

    await runner.query(`CREATE FUNCTION "gateway"."refuse_change_of_authorization"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD."revoked_at" IS NULL AND NEW."revoked_at" IS NOT NULL
           AND (NEW."id", NEW."document_ref", NEW."member_id_hash", NEW."member_id_masked", NEW."signer_id_hash",
                NEW."signer_relation", NEW."signed_at", NEW."expires_at", NEW."scope", NEW."region_code",
                NEW."created_by", NEW."created_at")
               IS NOT DISTINCT FROM
               (OLD."id", OLD."document_ref", OLD."member_id_hash", OLD."member_id_masked", OLD."signer_id_hash",
                OLD."signer_relation", OLD."signed_at", OLD."expires_at", OLD."scope", OLD."region_code",
                OLD."created_by", OLD."created_at") THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION '% of %.% refused: an authorization is never changed, except by its revocation, once', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
          USING ERRCODE = 'restrict_violation';
      END
    $$`);
    await runner.query(`CREATE TRIGGER "authorizations_revoked_only" BEFORE UPDATE OR DELETE ON "gateway"."authorizations"
      FOR EACH ROW EXECUTE FUNCTION "gateway"."refuse_change_of_authorization"()`);
    await runner.query(`CREATE TRIGGER "authorizations_not_truncated" BEFORE TRUNCATE ON "gateway"."authorizations"
      FOR EACH STATEMENT EXECUTE FUNCTION "gateway"."refuse_change_of_written_record"()`);
    await runner.query(`CREATE TRIGGER "verification_authorizations_written_once" BEFORE UPDATE OR DELETE ON "gateway"."verification_authorizations"
      FOR EACH ROW EXECUTE FUNCTION "gateway"."refuse_change_of_written_record"()`);
    await runner.query(`CREATE TRIGGER "verification_authorizations_not_truncated" BEFORE TRUNCATE ON "gateway"."verification_authorizations"
      FOR EACH STATEMENT EXECUTE FUNCTION "gateway"."refuse_change_of_written_record"()`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "gateway"."verification_authorizations"`);
    await runner.query(`DROP TABLE "gateway"."authorizations"`);
    await runner.query(`DROP FUNCTION "gateway"."refuse_change_of_authorization"()`);
  }
}
