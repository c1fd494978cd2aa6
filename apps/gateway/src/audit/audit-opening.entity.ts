import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ReportVersionEntity } from '../database/report-version.entity';

/** An auditor opened a report version for an audit (written once; its id is the audit event's id). */
@Entity({ name: 'audit_openings' })
@Check('audit_openings_reason_check', `char_length("reason") BETWEEN 1 AND 500`)
@Index('audit_openings_verification_idx', ['verificationId', 'openedAt'])
export class AuditOpeningEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'audit_openings_pkey' })
  id!: string;

  @Column({ name: 'verification_id', type: 'uuid' })
  verificationId!: string;

  @Column({ type: 'int' })
  version!: number;

  @ManyToOne(() => ReportVersionEntity, { onDelete: 'NO ACTION', onUpdate: 'NO ACTION', nullable: false })
  @JoinColumn([
    { name: 'verification_id', referencedColumnName: 'verificationId', foreignKeyConstraintName: 'audit_openings_report_version_fkey' },
    { name: 'version', referencedColumnName: 'version', foreignKeyConstraintName: 'audit_openings_report_version_fkey' },
  ])
  reportVersion?: ReportVersionEntity;

  /** Why the audit needs the report (free text, ≤ 500 characters, no identity numbers). */
  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'opened_by', type: 'text' })
  openedBy!: string;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;
}
