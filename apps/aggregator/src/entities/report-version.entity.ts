import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { HouseholdReport, ReportChange } from '@verihub/domain';
import { VerificationEntity } from './verification.entity';

/** An issued report version: written once, never updated. */
@Entity({ name: 'report_versions' })
@Check('report_versions_status_check', `"status" IN ('complete', 'partial')`)
export class ReportVersionEntity {
  @PrimaryColumn({ name: 'verification_id', type: 'uuid', primaryKeyConstraintName: 'report_versions_pkey' })
  verificationId!: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'report_versions_pkey' })
  version!: number;

  @ManyToOne(() => VerificationEntity)
  @JoinColumn({ name: 'verification_id', foreignKeyConstraintName: 'report_versions_verification_fk' })
  verification?: VerificationEntity;

  /** The round of provider requests this version reports on. */
  @Column({ type: 'integer' })
  round!: number;

  /** The verification's status when this version was issued (complete | partial). */
  @Column({ type: 'text' })
  status!: 'complete' | 'partial';

  /** The HouseholdReport document (api.md "Report"). */
  @Column({ type: 'jsonb' })
  report!: HouseholdReport;

  @Column({ name: 'change_reason', type: 'text' })
  changeReason!: string;

  /** What changed since the previous version (diffReports); null for version 1. */
  @Column({ type: 'jsonb', nullable: true })
  changes!: ReportChange[] | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
