import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { Authorization, Declaration, HouseholdMember } from '@verihub/domain';
import { PolicyEntity } from './policy.entity';
import { SealedPlaces, sealedJson } from './sealed-columns';

export const VERIFICATION_STATUSES = ['pending', 'complete', 'partial'] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

export const SOURCE_STATUSES = ['pending', 'answered', 'no_record', 'timeout', 'error', 'not_queried'] as const;
export type SourceStatus = (typeof SOURCE_STATUSES)[number];

/** One provider's part of a verification, as the aggregator last reported it. */
export interface SourceView {
  department: string;
  provider: string;
  status: SourceStatus;
  records: number;
  /** ISO 8601 with offset; null until the provider answered. */
  respondedAt: string | null;
  reason?: string;
  late?: boolean;
}

/**
 * The gateway's read model of a verification: the accepted request (with personal data, never logged, sealed at rest)
 * and the state the aggregator reports back through `verihub.verification.updated.v1`.
 */
@Entity({ name: 'verifications' })
@Check('verifications_status_check', `"status" IN ('pending', 'complete', 'partial')`)
@Index('verifications_region_created_idx', ['regionCode', 'createdAt'])
@Index('verifications_created_idx', ['createdAt'])
@Index('verifications_updated_idx', ['updatedAt'])
// What the batch runner's back-pressure counts (migration 1795600000000).
@Index('verifications_pending_idx', ['createdAt'], { where: `"status" = 'pending'` })
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

  /** Sealed at rest (identity numbers, names), like declared and authorizations: see sealed-columns.ts. */
  @Column({ type: 'jsonb', transformer: sealedJson(SealedPlaces.members) })
  members!: HouseholdMember[];

  @Column({ type: 'jsonb', nullable: true, transformer: sealedJson(SealedPlaces.declared) })
  declared!: Declaration | null;

  @Column({ type: 'jsonb', transformer: sealedJson(SealedPlaces.authorizations) })
  authorizations!: Authorization[];

  @Column({ name: 'policy_id', type: 'uuid' })
  policyId!: string;

  @ManyToOne(() => PolicyEntity, { onDelete: 'NO ACTION', onUpdate: 'NO ACTION', nullable: false })
  @JoinColumn({ name: 'policy_id', foreignKeyConstraintName: 'verifications_policy_id_fkey' })
  policy?: PolicyEntity;

  @Column({ name: 'policy_version', type: 'int' })
  policyVersion!: number;

  @Column({ type: 'text' })
  status!: VerificationStatus;

  @Column({ type: 'jsonb' })
  sources!: SourceView[];

  /** 0 while no report is issued. */
  @Column({ name: 'report_version', type: 'int', default: 0 })
  reportVersion!: number;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** The aggregator's time of the last update applied (orders updates of the same report version). */
  @Column({ name: 'state_updated_at', type: 'timestamptz', nullable: true })
  stateUpdatedAt!: Date | null;
}
