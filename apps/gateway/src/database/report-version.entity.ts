import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { VerificationEntity } from './verification.entity';

/** A named change between two report versions. */
export interface ReportChange {
  path: string;
  from: unknown;
  to: unknown;
}

/** Each issued report version, stored once and never changed. */
@Entity({ name: 'report_versions' })
export class ReportVersionEntity {
  @PrimaryColumn({ name: 'verification_id', type: 'uuid', primaryKeyConstraintName: 'report_versions_pkey' })
  verificationId!: string;

  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'report_versions_pkey' })
  version!: number;

  @ManyToOne(() => VerificationEntity, { onDelete: 'NO ACTION', onUpdate: 'NO ACTION', nullable: false })
  @JoinColumn({ name: 'verification_id', foreignKeyConstraintName: 'report_versions_verification_id_fkey' })
  verification?: VerificationEntity;

  /** The report document of api.md ("Report"). */
  @Column({ type: 'jsonb' })
  report!: Record<string, unknown>;

  @Column({ name: 'change_reason', type: 'text' })
  changeReason!: string;

  @Column({ type: 'jsonb', nullable: true })
  changes!: ReportChange[] | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
