import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { SealedPlaces, sealedJson } from './sealed-columns';
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

  /** The report document of api.md ("Report"): names and identity numbers, so sealed at rest (sealed-columns.ts). */
  @Column({ type: 'jsonb', transformer: sealedJson(SealedPlaces.report) })
  report!: Record<string, unknown>;

  /** The report's `conclusion`, in plain text: lists show it without opening the report. */
  @Column({ type: 'text', nullable: true })
  conclusion!: string | null;

  /** The report's `issuedAt` (ISO 8601), in plain text: the review queue sorts and shows it. */
  @Column({ name: 'issued_at', type: 'text', nullable: true })
  issuedAt!: string | null;

  @Column({ name: 'change_reason', type: 'text' })
  changeReason!: string;

  @Column({ type: 'jsonb', nullable: true, transformer: sealedJson(SealedPlaces.changes) })
  changes!: ReportChange[] | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
