import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor';
import { BatchEntity, BatchRejectionEntity } from './batch.entity';
import { visibleBatch } from './batch-access';
import type { BatchErrorsView, BatchPageView, BatchProgressView } from './batch.views';

/** The window the rate is measured over. */
const RATE_WINDOW_SECONDS = 60;

interface StateCount {
  state: string;
  status: string | null;
  n: number;
  recent: number;
}

/** Where a batch stands: counted from its items and their verifications' statuses, never cached. */
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
    return { items: await Promise.all(batches.map((b) => this.progressOf(b, now))) };
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

  private async progressOf(batch: BatchEntity, now: Date): Promise<BatchProgressView> {
    const rows = (await this.dataSource.query(
      `SELECT i.state, v.status, count(*)::int AS n,
              count(*) FILTER (WHERE v.status <> 'pending' AND v.updated_at > $2)::int AS recent
         FROM gateway.batch_items i LEFT JOIN gateway.verifications v ON v.id = i.verification_id
        WHERE i.batch_id = $1 GROUP BY i.state, v.status`,
      [batch.id, new Date(now.getTime() - RATE_WINDOW_SECONDS * 1000)],
    )) as StateCount[];
    const counts = { complete: 0, partial: 0, failed: 0, pending: 0, queued: 0, cancelled: 0 };
    let recent = 0;
    for (const row of rows) {
      recent += row.recent;
      if (row.state === 'submitted' && row.status && row.status in counts) counts[row.status as 'complete' | 'partial' | 'pending'] += row.n;
      else if (row.state === 'refused') counts.failed += row.n;
      else if (row.state === 'queued') counts.queued += row.n;
      else if (row.state === 'cancelled') counts.cancelled += row.n;
    }
    const done = counts.complete + counts.partial + counts.failed;
    const remaining = counts.queued + counts.pending;
    const elapsed = batch.startedAt ? Math.min(RATE_WINDOW_SECONDS, Math.max(1, (now.getTime() - batch.startedAt.getTime()) / 1000)) : RATE_WINDOW_SECONDS;
    const ratePerSecond = Math.round((recent / elapsed) * 10) / 10;
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
