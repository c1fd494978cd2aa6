import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { actorRef } from '../audit/audit-event.message';
import { AuditTrail } from '../audit/audit-trail';
import type { Actor } from '../auth/actor';
import { OutboxRelay } from '@verihub/persistence';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { BatchEntity } from './batch.entity';
import { visibleBatch } from './batch-access';
import { BatchProgressQuery } from './batch-progress';
import type { BatchProgressView } from './batch.views';

/**
 * Stops a running batch: the households not yet submitted are marked cancelled and never submitted; the
 * ones already with the providers finish (a query sent cannot be unsent) and keep their reports.
 */
@Injectable()
export class CancelBatchUseCase {
  private readonly logger = new Logger(CancelBatchUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly progress: BatchProgressQuery,
    private readonly audit: AuditTrail,
    private readonly relay: OutboxRelay,
  ) {}

  async execute(actor: Actor, id: string, now = new Date()): Promise<BatchProgressView> {
    await this.dataSource.transaction(async (manager) => {
      const batch = visibleBatch(
        actor,
        await manager.getRepository(BatchEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }),
        id,
      );
      if (batch.status !== 'running') {
        throw new GatewayException(GatewayExceptionCode.BATCH_FINISHED, `Batch ${id} is ${batch.status}; only a running batch can be cancelled.`);
      }
      const [, dropped] = (await manager.query(
        `UPDATE gateway.batch_items SET state = 'cancelled' WHERE batch_id = $1 AND state = 'queued'`,
        [id],
      )) as [unknown, number];
      await manager.getRepository(BatchEntity).update({ id }, { status: 'cancelled', finishedAt: now, cancelledBy: actor.username });
      await this.audit.enqueue(manager, {
        action: 'batch_cancelled',
        actor: actorRef(actor),
        dataCategories: ['household', `batch:${id}`],
        status: 'succeeded',
        recordCount: dropped,
        occurredAt: now,
      });
      this.logger.log(`batch ${id} cancelled by ${actor.username}: ${dropped} household(s) not submitted`);
    });
    this.relay.nudge();
    return this.progress.get(actor, id, now);
  }
}
