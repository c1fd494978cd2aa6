import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ReportSignatureEntity } from './report-signature.entity';

/**
 * An objection (异议) the household raised against a signed report version, as an officer or reviewer
 * recorded it. It may only concern a signed version (the foreign key to report_signatures) and is never
 * changed afterwards (a trigger refuses UPDATE and DELETE): the report version that answers it is found
 * by the re-check reason the aggregator writes into that version's change reason.
 */
@Entity({ name: 'objections' })
@Index('objections_verification_idx', ['verificationId', 'recordedAt'])
export class ObjectionEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'objections_pkey' })
  id!: string;

  @Column({ name: 'verification_id', type: 'uuid' })
  verificationId!: string;

  /** The signed report version objected to. */
  @Column({ type: 'int' })
  version!: number;

  @ManyToOne(() => ReportSignatureEntity, { onDelete: 'NO ACTION', onUpdate: 'NO ACTION', nullable: false })
  @JoinColumn([
    { name: 'verification_id', referencedColumnName: 'verificationId', foreignKeyConstraintName: 'objections_signature_fkey' },
    { name: 'version', referencedColumnName: 'version', foreignKeyConstraintName: 'objections_signature_fkey' },
  ])
  signature?: ReportSignatureEntity;

  /** What the household disputes (free text, personal data: never logged). */
  @Column({ type: 'text' })
  reason!: string;

  /** Who objected, as written (e.g. the applicant's name): personal data, never logged. */
  @Column({ name: 'raised_by', type: 'text', nullable: true })
  raisedBy!: string | null;

  /** When the objection reached the office. */
  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  /** When the household received the report (the signature time unless the officer gave another). */
  @Column({ name: 'report_received_at', type: 'timestamptz' })
  reportReceivedAt!: Date;

  /** Username of the officer or reviewer who recorded it. */
  @Column({ name: 'recorded_by', type: 'text' })
  recordedBy!: string;

  /** Also the requested_at of the re-check it started (which identifies that VerificationRequested). */
  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
