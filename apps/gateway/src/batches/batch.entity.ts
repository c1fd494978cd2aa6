import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import type { FieldError, VerificationRequest } from '@verihub/domain';
import { SealedPlaces, sealedJson } from '../database/sealed-columns';

export const BATCH_STATUSES = ['running', 'completed', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
export type BatchFormat = 'jsonl' | 'csv';

/** A caseload handed over as one file (gateway.batches). */
@Entity({ name: 'batches' })
@Check('batches_status_check', `"status" IN ('running', 'completed', 'cancelled')`)
@Check('batches_format_check', `"format" IN ('jsonl', 'csv')`)
@Check('batches_counts_check', `"total" = "accepted" + "rejected" AND "accepted" >= 0 AND "rejected" >= 0`)
@Index('batches_status_idx', ['status'])
@Index('batches_created_idx', ['createdAt'])
export class BatchEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'batches_pkey' })
  id!: string;

  @Column({ type: 'text' })
  status!: BatchStatus;

  @Column({ type: 'text' })
  format!: BatchFormat;

  @Column({ name: 'file_name', type: 'text', nullable: true })
  fileName!: string | null;

  /** The submitting officer's region (null for an administrator). */
  @Column({ name: 'region_code', type: 'text', nullable: true })
  regionCode!: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'cancelled_by', type: 'text', nullable: true })
  cancelledBy!: string | null;

  /** Households in the file (accepted + rejected). */
  @Column({ type: 'int' })
  total!: number;

  @Column({ type: 'int' })
  accepted!: number;

  @Column({ type: 'int' })
  rejected!: number;

  // Progress, kept by triggers (migration CountBatchProgress1795800000000): items by state, and submitted
  // households by their verification's status. Never written by the application.
  @Column({ name: 'items_queued', type: 'int', default: 0, insert: false, update: false })
  itemsQueued!: number;

  @Column({ name: 'items_refused', type: 'int', default: 0, insert: false, update: false })
  itemsRefused!: number;

  @Column({ name: 'items_cancelled', type: 'int', default: 0, insert: false, update: false })
  itemsCancelled!: number;

  @Column({ name: 'households_pending', type: 'int', default: 0, insert: false, update: false })
  householdsPending!: number;

  @Column({ name: 'households_complete', type: 'int', default: 0, insert: false, update: false })
  householdsComplete!: number;

  @Column({ name: 'households_partial', type: 'int', default: 0, insert: false, update: false })
  householdsPartial!: number;
}

export const BATCH_ITEM_STATES = ['queued', 'submitted', 'refused', 'cancelled'] as const;
export type BatchItemState = (typeof BATCH_ITEM_STATES)[number];

/** One accepted household of a batch; its verification id is fixed at upload. */
@Entity({ name: 'batch_items' })
@Unique('batch_items_verification_key', ['verificationId'])
@Check('batch_items_state_check', `"state" IN ('queued', 'submitted', 'refused', 'cancelled')`)
@Index('batch_items_queued_idx', ['batchId', 'line'], { where: `"state" = 'queued'` })
export class BatchItemEntity {
  @PrimaryColumn({ name: 'batch_id', type: 'uuid', primaryKeyConstraintName: 'batch_items_pkey' })
  batchId!: string;

  @ManyToOne(() => BatchEntity, { onDelete: 'NO ACTION', onUpdate: 'NO ACTION', nullable: false })
  @JoinColumn({ name: 'batch_id', foreignKeyConstraintName: 'batch_items_batch_fkey' })
  batch?: BatchEntity;

  /** The household's line in the file (its first row for CSV), 1-based. */
  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'batch_items_pkey' })
  line!: number;

  @Column({ name: 'verification_id', type: 'uuid' })
  verificationId!: string;

  @Column({ type: 'text' })
  state!: BatchItemState;

  /** The household's request (identity numbers, names): sealed at rest like the verifications' members. */
  @Column({ type: 'jsonb', transformer: sealedJson(SealedPlaces.batchRequest) })
  request!: VerificationRequest;

  /** Why the household could not be submitted after upload (e.g. an authorization conflict found later). */
  @Column({ type: 'jsonb', nullable: true })
  refusal!: FieldError[] | null;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;
}

/** A refused line: its number and what is wrong with it (field paths and rules only). */
@Entity({ name: 'batch_rejections' })
export class BatchRejectionEntity {
  @PrimaryColumn({ name: 'batch_id', type: 'uuid', primaryKeyConstraintName: 'batch_rejections_pkey' })
  batchId!: string;

  @ManyToOne(() => BatchEntity, { onDelete: 'NO ACTION', onUpdate: 'NO ACTION', nullable: false })
  @JoinColumn({ name: 'batch_id', foreignKeyConstraintName: 'batch_rejections_batch_fkey' })
  batch?: BatchEntity;

  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'batch_rejections_pkey' })
  line!: number;

  @Column({ type: 'jsonb' })
  errors!: FieldError[];
}
