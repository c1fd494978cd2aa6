import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How a request ended. `pending` while its lookup is being retried. */
export type HandledRequestOutcome = 'pending' | 'answered' | 'unauthorized' | 'invalid_request' | 'source_unavailable';

/**
 * One row per request id the adapter has received: the idempotency key. A redelivered or republished
 * request only increments `deliveries`; once the outcome is set the data source is never asked again.
 * No personal data: ids and counts only.
 */
@Entity({ name: 'handled_requests' })
export class HandledRequestEntity {
  @PrimaryColumn({ name: 'request_id', type: 'text' })
  requestId!: string;

  @Column({ name: 'verification_id', type: 'text' })
  verificationId!: string;

  @Column({ type: 'text' })
  provider!: string;

  @Column({ name: 'first_received_at', type: 'timestamptz' })
  firstReceivedAt!: Date;

  @Column({ type: 'integer' })
  deliveries!: number;

  @Column({ type: 'text' })
  outcome!: HandledRequestOutcome;

  /** When the answer (QueryAnswered or QueryFailed) was published. */
  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt!: Date | null;

  @Column({ name: 'record_count', type: 'integer', nullable: true })
  recordCount!: number | null;
}
