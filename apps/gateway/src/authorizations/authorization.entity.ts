import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import type { SignerRelation } from '@verihub/domain';

/**
 * An authorization (授权书) as a record: who it permits querying (keyed hash and masked form, never the
 * identity number), who signed it and in what capacity, when, until when, which providers it covers,
 * and its revocation. Written once; the only later change is the revocation (a trigger enforces it).
 */
@Entity({ name: 'authorizations' })
@Unique('authorizations_document_ref_key', ['documentRef'])
@Check('authorizations_hashes_check', `"member_id_hash" ~ '^[0-9a-f]{64}$' AND "signer_id_hash" ~ '^[0-9a-f]{64}$'`)
@Check('authorizations_signer_relation_check', `"signer_relation" IN ('self', 'guardian')`)
@Check('authorizations_period_check', `"expires_at" > "signed_at"`)
@Check(
  'authorizations_revocation_check',
  `("revoked_at" IS NULL AND "revoked_by" IS NULL AND "revocation_reason" IS NULL) OR
        ("revoked_at" IS NOT NULL AND "revoked_by" IS NOT NULL AND char_length("revocation_reason") BETWEEN 1 AND 500)`,
)
@Index('authorizations_member_idx', ['memberIdHash'])
@Index('authorizations_region_created_idx', ['regionCode', 'createdAt'])
export class AuthorizationEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'authorizations_pkey' })
  id!: string;

  /** The document's reference ("AUTH-2026-000123"): one record per document. */
  @Column({ name: 'document_ref', type: 'text' })
  documentRef!: string;

  /** keyedIdentityHash of the member's identity number (the gateway's identity-hash key). */
  @Column({ name: 'member_id_hash', type: 'text' })
  memberIdHash!: string;

  /** 500115********0011 */
  @Column({ name: 'member_id_masked', type: 'text' })
  memberIdMasked!: string;

  @Column({ name: 'signer_id_hash', type: 'text' })
  signerIdHash!: string;

  @Column({ name: 'signer_relation', type: 'text' })
  signerRelation!: SignerRelation;

  @Column({ name: 'signed_at', type: 'timestamptz' })
  signedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  /** Provider ids covered; null: every provider. */
  @Column({ type: 'text', array: true, nullable: true })
  scope!: string[] | null;

  /** The region of the verification that first cited it. */
  @Column({ name: 'region_code', type: 'text' })
  regionCode!: string;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_by', type: 'text', nullable: true })
  revokedBy!: string | null;

  /** Why (free text, ≤ 500 characters; personal data: never logged). */
  @Column({ name: 'revocation_reason', type: 'text', nullable: true })
  revocationReason!: string | null;
}
