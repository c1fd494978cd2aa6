import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor';
import { BatchEntity, BatchRejectionEntity } from './batch.entity';
import { visibleBatch } from './batch-access';
import type { BatchErrorsView, BatchPageView, BatchProgressView } from './batch.views';

/** Where a batch stands: its counters, kept in step with its items and their verifications by triggers. */
@Injectable()
export class BatchProgressQuery {
  constructor(private readonly dataSource: DataSource) {}

  async get(actor: Actor, id: string, now = new Date()): Promise<BatchProgressView> {
    const batch = visibleBatch(actor, await this.dataSource.getRepository(BatchEntity).findOneBy({ id }), id);
    return this.progressOf(batch, now);
  }

  /** The newest batches first (officers: their region's). */
  async list(actor: Actor, limit = 50, now = new Date()): Promise<BatchPageView> {
    const batches = await this.dataSource.getRepository(BatchEntity).find({
      where: actor.role === 'officer' ? { regionCode: actor.regionCode } : {},
      order: { createdAt: 'DESC' },
      take: limit,
    });
    return { items: batches.map((b) => this.progressOf(b, now)) };
  }

  async errors(actor: Actor, id: string): Promise<BatchErrorsView> {
    visibleBatch(actor, await this.dataSource.getRepository(BatchEntity).findOneBy({ id }), id);
    const rejected = await this.dataSource.getRepository(BatchRejectionEntity).find({ where: { batchId: id }, order: { line: 'ASC' } });
    const refused = (await this.dataSource.query(
      `SELECT line, refusal FROM gateway.batch_items WHERE batch_id = $1 AND state = 'refused' ORDER BY line`,
      [id],
    )) as Array<{ line: number; refusal: Array<{ field: string; message: string }> }>;
    const items = [...rejected.map((r) => ({ line: r.line, errors: r.errors })), ...refused.map((r) => ({ line: r.line, errors: r.refusal }))];
    return { items: items.sort((a, b) => a.line - b.line) };
  }

  /** From the batch row's counters (kept by triggers): a read costs nothing however large the batch. */
  private progressOf(batch: BatchEntity, now: Date): BatchProgressView {
    const counts = {
      complete: batch.householdsComplete,
      partial: batch.householdsPartial,
      failed: batch.itemsRefused,
      pending: batch.householdsPending,
      queued: batch.itemsQueued,
      cancelled: batch.itemsCancelled,
    };
    const done = counts.complete + counts.partial + counts.failed;
    const remaining = counts.queued + counts.pending;
    // Since the batch started (to its end once finished): a night run's pace, steadier than a minute's.
    const until = batch.finishedAt ?? now;
    const elapsed = batch.startedAt ? Math.max(1, (until.getTime() - batch.startedAt.getTime()) / 1000) : 0;
    const ratePerSecond = elapsed > 0 ? Math.round((done / elapsed) * 10) / 10 : 0;
    const finishing = batch.status === 'running' && remaining > 0 && ratePerSecond > 0;
    return {
      id: batch.id,
      status: batch.status,
      fileName: batch.fileName,
      createdBy: batch.createdBy,
      createdAt: batch.createdAt.toISOString(),
      finishedAt: batch.finishedAt?.toISOString() ?? null,
      total: batch.total,
      accepted: batch.accepted,
      rejected: batch.rejected,
      done,
      remaining,
      counts,
      ratePerSecond,
      estimatedFinishAt: finishing ? new Date(now.getTime() + (remaining / ratePerSecond) * 1000).toISOString() : null,
    };
  }
}
