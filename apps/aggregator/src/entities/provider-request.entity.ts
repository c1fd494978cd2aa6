import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import type { ProviderRequestStatus } from '../rules/verification-rules';
import { VerificationEntity } from './verification.entity';

/** One QueryRequested sent to one provider in one round, and what became of it. */
@Entity({ name: 'provider_requests' })
@Unique('provider_requests_round_key', ['verificationId', 'provider', 'round'])
@Index('provider_requests_pending_deadline_idx', ['deadline'], { where: `"status" = 'pending'` })
@Check(
  'provider_requests_status_check',
  `"status" IN ('pending', 'answered', 'no_record', 'timeout', 'error', 'not_queried')`,
)
export class ProviderRequestEntity {
  @PrimaryColumn({ name: 'request_id', type: 'uuid', primaryKeyConstraintName: 'provider_requests_pkey' })
  requestId!: string;

  @Column({ name: 'verification_id', type: 'uuid' })
  verificationId!: string;

  @ManyToOne(() => VerificationEntity)
  @JoinColumn({ name: 'verification_id', foreignKeyConstraintName: 'provider_requests_verification_fk' })
  verification?: VerificationEntity;

  @Column({ type: 'integer' })
  round!: number;

  /** "tax", "bank:ICBC", ... */
  @Column({ type: 'text' })
  provider!: string;

  @Column({ type: 'text' })
  status!: ProviderRequestStatus;

  @Column({ type: 'timestamptz' })
  deadline!: Date;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  /** When the aggregator received the answer or failure (lateness is judged on this clock). */
  @Column({ name: 'responded_at', type: 'timestamptz', nullable: true })
  respondedAt!: Date | null;

  /** The answer or failure arrived after the deadline. */
  @Column({ type: 'boolean', default: false })
  late!: boolean;

  @Column({ name: 'record_count', type: 'integer', default: 0 })
  recordCount!: number;

  /** Why the provider failed (error) or was not queried. */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;
}
