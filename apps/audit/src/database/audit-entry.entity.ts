import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * One recorded act (domain.md section 8), hash-chained to the one before. Append-only: the table's
 * triggers refuse UPDATE, DELETE and TRUNCATE (migrations/1796000000000-create-audit-log.ts). Only
 * AuditLogRepository reads or writes it.
 */
@Entity({ name: 'entries' })
@Unique('entries_event_id_key', ['eventId'])
@Unique('entries_entry_hash_key', ['entryHash'])
@Check('entries_sequence_check', `"sequence" > 0`)
@Check('entries_hashes_check', `"previous_hash" ~ '^[0-9a-f]{64}$' AND "entry_hash" ~ '^[0-9a-f]{64}$'`)
@Index('entries_occurred_at_idx', ['occurredAt'])
@Index('entries_actor_occurred_at_idx', ['actorUsername', 'occurredAt'])
@Index('entries_verification_id_idx', ['verificationId'])
@Index('entries_provider_occurred_at_idx', ['provider', 'occurredAt'])
// A GIN index on subject_hashes (the person search) exists too; TypeORM cannot describe it.
@Index('entries_subject_hashes_idx', { synchronize: false })
export class AuditEntryEntity {
  /** 1, 2, 3 … without gaps: the chain order (assigned under the chain lock, not by a sequence object). */
  @PrimaryColumn({ type: 'bigint', primaryKeyConstraintName: 'entries_pkey' })
  sequence!: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'source_service', type: 'text' })
  sourceService!: string;

  @Column({ name: 'actor_username', type: 'text' })
  actorUsername!: string;

  @Column({ name: 'actor_role', type: 'text' })
  actorRole!: string;

  @Column({ name: 'actor_region', type: 'text', nullable: true })
  actorRegion!: string | null;

  @Column({ name: 'actor_organisation', type: 'text', nullable: true })
  actorOrganisation!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'verification_id', type: 'uuid', nullable: true })
  verificationId!: string | null;

  @Column({ type: 'text', nullable: true })
  program!: string | null;

  @Column({ type: 'text', nullable: true })
  purpose!: string | null;

  /** The verification's region. */
  @Column({ name: 'region_code', type: 'text', nullable: true })
  regionCode!: string | null;

  @Column({ name: 'authorization_refs', type: 'text', array: true })
  authorizationRefs!: string[];

  @Column({ type: 'text', nullable: true })
  provider!: string | null;

  /** Keyed hashes (HMAC-SHA256 hex) of the identity numbers concerned. */
  @Column({ name: 'subject_hashes', type: 'text', array: true })
  subjectHashes!: string[];

  @Column({ name: 'subjects_masked', type: 'text', array: true })
  subjectsMasked!: string[];

  @Column({ name: 'data_categories', type: 'text', array: true })
  dataCategories!: string[];

  @Column({ name: 'outcome_status', type: 'text', nullable: true })
  outcomeStatus!: string | null;

  @Column({ name: 'record_count', type: 'integer', nullable: true })
  recordCount!: number | null;

  @Column({ name: 'latency_ms', type: 'integer', nullable: true })
  latencyMs!: number | null;

  @Column({ name: 'previous_hash', type: 'text' })
  previousHash!: string;

  @Column({ name: 'entry_hash', type: 'text' })
  entryHash!: string;
}
