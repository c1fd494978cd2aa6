import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Authorization, Declaration, HouseholdMember, PolicyVersion } from '@verihub/domain';
import type { VerificationState } from '../rules/verification-rules';

/**
 * One household verification as the aggregator tracks it. Its id is the gateway's verification id.
 * `members`, `authorizations` and `declared` are personal data: only VerificationRepository reads or
 * writes them. `members` and `authorizations` are stored sealed (AES-256-GCM, crypto/data-cipher.ts): the
 * columns hold SealedValues, and this entity carries them opened only as VerificationRepository returns it.
 */
@Entity({ name: 'verifications' })
@Check('verifications_status_check', `"status" IN ('pending', 'complete', 'partial')`)
@Index('verifications_report_due_idx', ['reportDueSince'], { where: `"report_due_since" IS NOT NULL` })
// A GIN index on member_hashes (the lookup by person) exists too; TypeORM cannot describe it.
@Index('verifications_member_hashes_idx', { synchronize: false })
export class VerificationEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'verifications_pkey' })
  id!: string;

  @Column({ type: 'text' })
  program!: string;

  @Column({ type: 'text' })
  purpose!: string;

  @Column({ name: 'region_code', type: 'text' })
  regionCode!: string;

  /** "YYYY-MM-DD" */
  @Column({ name: 'as_of', type: 'date' })
  asOf!: string;

  @Column({ type: 'jsonb' })
  members!: HouseholdMember[];

  @Column({ type: 'jsonb' })
  authorizations!: Authorization[];

  /** The members' keyed identity hashes (keyedIdentityHash under VERIHUB_IDENTITY_HASH_KEY), for lookups by person. */
  @Column({ name: 'member_hashes', type: 'text', array: true })
  memberHashes!: string[];

  @Column({ type: 'jsonb', nullable: true })
  declared!: Declaration | null;

  /** The programme policy version the gateway applied, as it accepted it. */
  @Column({ type: 'jsonb' })
  policy!: PolicyVersion;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ name: 'requested_by', type: 'text' })
  requestedBy!: string;

  @Column({ type: 'boolean' })
  interactive!: boolean;

  @Column({ type: 'text' })
  status!: VerificationState;

  /** The round of provider requests the status and the next report are about (1 + re-checks). */
  @Column({ name: 'current_round', type: 'integer' })
  currentRound!: number;

  /** The newest issued report version; 0 before the first. */
  @Column({ name: 'report_version', type: 'integer', default: 0 })
  reportVersion!: number;

  /**
   * Set when an outcome arrived for a round whose report was already issued (a late answer): a new version
   * is due, issued by the sweeper once the late-answer window from this instant has passed. Cleared by
   * every issued version and by a new round.
   */
  @Column({ name: 'report_due_since', type: 'timestamptz', nullable: true })
  reportDueSince!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
