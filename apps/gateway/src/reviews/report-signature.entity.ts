import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ReportVersionEntity } from '../database/report-version.entity';

/**
 * A reviewer's signature on one report version (审核): at most one per version (the primary key), only
 * on a version that exists (the foreign key), never changed or removed (a trigger refuses UPDATE and
 * DELETE, as it does on the report versions themselves).
 */
@Entity({ name: 'report_signatures' })
export class ReportSignatureEntity {
  @PrimaryColumn({ name: 'verification_id', type: 'uuid', primaryKeyConstraintName: 'report_signatures_pkey' })
  verificationId!: string;

  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'report_signatures_pkey' })
  version!: number;

  @ManyToOne(() => ReportVersionEntity, { onDelete: 'NO ACTION', onUpdate: 'NO ACTION', nullable: false })
  @JoinColumn([
    { name: 'verification_id', referencedColumnName: 'verificationId', foreignKeyConstraintName: 'report_signatures_report_version_fkey' },
    { name: 'version', referencedColumnName: 'version', foreignKeyConstraintName: 'report_signatures_report_version_fkey' },
  ])
  reportVersion?: ReportVersionEntity;

  /** Username of the reviewer. */
  @Column({ name: 'signed_by', type: 'text' })
  signedBy!: string;

  @Column({ name: 'signed_at', type: 'timestamptz' })
  signedAt!: Date;

  @Column({ type: 'text', nullable: true })
  comment!: string | null;
}
