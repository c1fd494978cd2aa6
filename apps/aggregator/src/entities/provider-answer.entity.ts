import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { DepartmentRecord } from '@verihub/domain';
import { ProviderRequestEntity } from './provider-request.entity';

/**
 * The records a provider answered with, already mapped to the domain's DepartmentRecord. Personal data:
 * only ProviderRequestRepository reads or writes it.
 */
@Entity({ name: 'provider_answers' })
export class ProviderAnswerEntity {
  @PrimaryColumn({ name: 'request_id', type: 'uuid', primaryKeyConstraintName: 'provider_answers_pkey' })
  requestId!: string;

  @ManyToOne(() => ProviderRequestEntity)
  @JoinColumn({ name: 'request_id', foreignKeyConstraintName: 'provider_answers_request_fk' })
  request?: ProviderRequestEntity;

  @Column({ type: 'jsonb' })
  records!: DepartmentRecord[];

  /** Identity numbers asked about that the department holds nothing on. */
  @Column({ name: 'not_found', type: 'jsonb' })
  notFound!: string[];

  /** The provider's own answer time, as it stated it. */
  @Column({ name: 'answered_at', type: 'timestamptz' })
  answeredAt!: Date;

  /** The provider's signature over the answer as sent (`<key id>.<Ed25519 signature>`, see queryAnsweredSignedBytes). */
  @Column({ type: 'text', nullable: true })
  signature!: string | null;

  /** Id of the provider's registered key the signature was verified with (null: answers stored before signatures). */
  @Column({ name: 'key_id', type: 'text', nullable: true })
  keyId!: string | null;
}
