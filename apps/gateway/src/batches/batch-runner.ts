import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource, IsNull, QueryFailedError } from 'typeorm';
import type { FieldError } from '@verihub/domain';
import type { Actor } from '../auth/actor';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { CreateVerificationUseCase } from '../verifications/create-verification.use-case';
import { CreateVerificationsTogetherUseCase, SubmissionConflict } from '../verifications/create-verifications-together.use-case';
import { BatchEntity, BatchItemEntity } from './batch.entity';
import { BatchSettings } from './batch-settings';

/** Refusals of one household that no retry will change: the item is marked failed with the reason. */
const FINAL_REFUSALS = new Set<GatewayExceptionCode>([
  GatewayExceptionCode.INVALID_INPUT,
  GatewayExceptionCode.NO_APPLICABLE_POLICY,
  GatewayExceptionCode.REGION_NOT_ALLOWED,
]);
/** Households taken from the queue per step. */
const CLAIM_SIZE = 256;
/** Households accepted in one transaction (CreateVerificationsTogetherUseCase); `submitConcurrency` such groups at once. */
const GROUP_SIZE = 50;
const IDLE_WAIT_MS = 1000;
const BUSY_WAIT_MS = 100;

/**
 * Submits the queued households of running batches, oldest batch first, each through the same use case
 * as a single check (with the id fixed at upload and on the batch lane), only while the hub has room:
 * fewer than `maxInFlight` verifications pending. An item is marked submitted in the very transaction
 * that creates its verification, so a restart (or a second gateway) resumes where the batch stood and
 * no household is verified twice. A batch completes once nothing of it is queued or pending.
 */
@Injectable()
export class BatchRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BatchRunner.name);
  private stopped = false;
  private wake?: () => void;
  private loop?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly createVerification: CreateVerificationUseCase,
    private readonly createTogether: CreateVerificationsTogetherUseCase,
    private readonly settings: BatchSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  /** Something changed (a batch arrived, verifications finished): look again now. */
  nudge(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let wait = IDLE_WAIT_MS;
      try {
        const outcome = await this.step();
        wait = outcome === 'submitted' ? 0 : outcome === 'full' ? BUSY_WAIT_MS : IDLE_WAIT_MS;
      } catch (err) {
        if (this.stopped) break;
        this.logger.error(`batch step failed, retrying shortly: ${(err as Error).message}`);
      }
      if (wait > 0 && !this.stopped) await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** One pass over the running batches: 'submitted' some households, the hub is 'full', or 'idle'. */
  async step(): Promise<'submitted' | 'full' | 'idle'> {
    const running = await this.dataSource.getRepository(BatchEntity).find({ where: { status: 'running' }, order: { createdAt: 'ASC' } });
    if (running.length === 0) return 'idle';
    let room = this.settings.maxInFlight - (await this.pendingVerifications());
    if (room <= 0) return 'full';
    let submitted = 0;
    for (const batch of running) {
      if (room <= 0 || this.stopped) break;
      const items = await this.dataSource.getRepository(BatchItemEntity).find({
        where: { batchId: batch.id, state: 'queued' },
        order: { line: 'ASC' },
        take: Math.min(room, CLAIM_SIZE),
      });
      if (items.length === 0) {
        await this.completeIfDone(batch.id);
        continue;
      }
      if (!batch.startedAt) await this.dataSource.getRepository(BatchEntity).update({ id: batch.id, startedAt: IsNull() }, { startedAt: new Date() });
      const actor: Actor = { username: batch.createdBy, role: 'officer', regionCode: batch.regionCode ?? '' };
      await forEachLimit(chunksOf(items, GROUP_SIZE), this.settings.submitConcurrency, (group) => this.submitTogether(actor, group));
      room -= items.length;
      submitted += items.length;
    }
    return submitted > 0 ? 'submitted' : room <= 0 ? 'full' : 'idle';
  }

  /**
   * Submits a group of households in one transaction; those that would be refused, and the whole group when it
   * no longer stands as read (an item cancelled or taken by another gateway, a document recorded differently
   * meanwhile), are submitted one by one — where each refusal is decided, recorded and audited as for a single
   * check.
   */
  private async submitTogether(actor: Actor, items: BatchItemEntity[]): Promise<void> {
    if (this.stopped) return;
    const byId = new Map(items.map((item) => [item.verificationId, item]));
    let alone: BatchItemEntity[];
    try {
      const outcome = await this.createTogether.execute(
        actor,
        items.map((item) => ({ id: item.verificationId, request: item.request })),
        async (manager, created) => {
          const lines = created.map((id) => byId.get(id)!.line);
          const [, changed] = (await manager.query(
            `UPDATE gateway.batch_items SET state = 'submitted', submitted_at = now() WHERE batch_id = $1 AND line = ANY($2::int[]) AND state = 'queued'`,
            [items[0].batchId, lines],
          )) as [unknown, number];
          if (changed !== lines.length) throw new SubmissionConflict(`${lines.length - changed} item(s) no longer queued`);
        },
      );
      alone = outcome.alone.map((id) => byId.get(id)!);
    } catch (err) {
      if (!(err instanceof SubmissionConflict) && !isDuplicateVerification(err)) throw err;
      this.logger.warn(`batch ${items[0].batchId}: a group of ${items.length} changed under its lock (${(err as Error).message}); submitting them one by one`);
      alone = items;
    }
    for (const item of alone) await this.submit(actor, item);
  }

  private async submit(actor: Actor, item: BatchItemEntity): Promise<void> {
    if (this.stopped) return;
    try {
      await this.createVerification.execute(actor, item.request, new Date(), {
        id: item.verificationId,
        interactive: false,
        alongside: async (manager) => {
          const [, changed] = (await manager.query(
            `UPDATE gateway.batch_items SET state = 'submitted', submitted_at = now() WHERE batch_id = $1 AND line = $2 AND state = 'queued'`,
            [item.batchId, item.line],
          )) as [unknown, number];
          if (changed !== 1) throw new NoLongerQueued();
        },
      });
    } catch (err) {
      if (err instanceof NoLongerQueued || isDuplicateVerification(err)) return; // cancelled, or submitted by another gateway
      if (err instanceof GatewayException && FINAL_REFUSALS.has(err.code)) {
        const errors: FieldError[] = err.errors.length > 0 ? err.errors : [{ field: '', message: err.detail }];
        await this.dataSource.query(
          `UPDATE gateway.batch_items SET state = 'refused', refusal = $3::jsonb WHERE batch_id = $1 AND line = $2 AND state = 'queued'`,
          [item.batchId, item.line, JSON.stringify(errors)],
        );
        return;
      }
      throw err;
    }
  }

  /**
   * Batch households waiting for providers, from the batches' counters (kept by triggers). Counting pending
   * verifications instead read a partial index whose dead entries grow with every household finished until
   * a vacuum (18 % of PostgreSQL's busy time at 40,000 households into a 100,000 batch, measured); an officer's
   * few single checks are left out of the count.
   */
  private async pendingVerifications(): Promise<number> {
    const [row] = (await this.dataSource.query(
      `SELECT coalesce(sum(households_pending), 0)::int AS n FROM gateway.batches WHERE status = 'running'`,
    )) as Array<{ n: number }>;
    return row.n;
  }

  private async completeIfDone(batchId: string): Promise<void> {
    // The batch's counters (kept by triggers) say whether anything of it is still queued or with the providers.
    const [, changed] = (await this.dataSource.query(
      `UPDATE gateway.batches SET status = 'completed', finished_at = now()
        WHERE id = $1 AND status = 'running' AND items_queued = 0 AND households_pending = 0`,
      [batchId],
    )) as [unknown, number];
    if (changed === 1) this.logger.log(`batch ${batchId} completed`);
  }
}

class NoLongerQueued extends Error {}

function isDuplicateVerification(err: unknown): boolean {
  return err instanceof QueryFailedError && (err.driverError as { code?: string } | undefined)?.code === '23505' &&
    String((err.driverError as { constraint?: string }).constraint) === 'verifications_pkey';
}

function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Runs `work` over `items` with at most `limit` at a time; the first error is raised once all settled. */
async function forEachLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (err) {
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure;
}
