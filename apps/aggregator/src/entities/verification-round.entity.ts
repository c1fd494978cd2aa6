import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { VerificationEntity } from './verification.entity';

/**
 * One round of provider requests: round 1 is the original request, every re-check (objection, review)
 * adds one. A VerificationRequested message is identified by (verification id, requested_at), so a
 * redelivered message finds its round and changes nothing.
 */
@Entity({ name: 'verification_rounds' })
@Unique('verification_rounds_requested_at_key', ['verificationId', 'requestedAt'])
export class VerificationRoundEntity {
  @PrimaryColumn({ name: 'verification_id', type: 'uuid', primaryKeyConstraintName: 'verification_rounds_pkey' })
  verificationId!: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'verification_rounds_pkey' })
  round!: number;

  @ManyToOne(() => VerificationEntity)
  @JoinColumn({ name: 'verification_id', foreignKeyConstraintName: 'verification_rounds_verification_fk' })
  verification?: VerificationEntity;

  /** Null for round 1; the re-check reason otherwise. */
  @Column({ name: 'recheck_reason', type: 'text', nullable: true })
  recheckReason!: string | null;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ name: 'requested_by', type: 'text' })
  requestedBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
