import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { DataSource, type EntityManager } from 'typeorm';
import type { FieldError } from '@verihub/domain';
import { actorRef } from '../audit/audit-event.message';
import { AuditTrail } from '../audit/audit-trail';
import type { Actor } from '../auth/actor';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { SourceRegistry } from '../verifications/source-registry';
import { BatchHeaderError, readCsvHouseholds, readJsonLines, type BatchLine } from './batch-input';
import { checkBatchLine } from './batch-line.rules';
import { BatchEntity, BatchItemEntity, BatchRejectionEntity, type BatchFormat } from './batch.entity';
import { BatchRunner } from './batch-runner';
import { BatchSettings } from './batch-settings';
import type { BatchSubmittedView } from './batch.views';

/** Rows written per INSERT while a file is read. */
const WRITE_CHUNK = 500;
/** Refused lines named in the upload's answer; all of them are kept (GET /batches/{id}/errors). */
const ERRORS_IN_ANSWER = 100;

/**
 * Accepts a caseload file: every household line is read and checked as a single verification would be,
 * and the accepted ones are stored (each with the id its verification will have) together with the
 * refused lines' numbers and reasons, in one transaction — an upload cut short stores nothing. The batch
 * runner then submits the households at the pace the system absorbs.
 */
@Injectable()
export class SubmitBatchUseCase {
  private readonly logger = new Logger(SubmitBatchUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly sources: SourceRegistry,
    private readonly settings: BatchSettings,
    private readonly runner: BatchRunner,
    private readonly audit: AuditTrail,
  ) {}

  async execute(actor: Actor, body: Readable, format: BatchFormat, fileName: string | null, now = new Date()): Promise<BatchSubmittedView> {
    const id = randomUUID();
    const required = this.sources.providerIds();
    const limited = body.pipe(byteLimit(this.settings.maxBytes));
    body.on('error', (err) => limited.destroy(err));
    const lines = format === 'csv' ? readCsvHouseholds(limited) : readJsonLines(limited);
    let accepted = 0;
    let rejected = 0;
    const shownErrors: Array<{ line: number; errors: FieldError[] }> = [];
    try {
      await this.dataSource.transaction(async (manager) => {
        await manager.getRepository(BatchEntity).insert({
          id,
          status: 'running',
          format,
          fileName,
          regionCode: actor.role === 'officer' ? actor.regionCode : null,
          createdBy: actor.username,
          createdAt: now,
          startedAt: null,
          finishedAt: null,
          cancelledBy: null,
          total: 0,
          accepted: 0,
          rejected: 0,
        });
        const items: BatchItemEntity[] = [];
        const refusals: BatchRejectionEntity[] = [];
        for await (const line of lines) {
          const verdict = judge(line, actor, required, now);
          if (verdict.ok) {
            accepted += 1;
            if (accepted > this.settings.maxHouseholds) throw tooMany(this.settings.maxHouseholds);
            items.push({ batchId: id, line: line.line, verificationId: randomUUID(), state: 'queued', request: verdict.request, refusal: null, submittedAt: null });
          } else {
            rejected += 1;
            refusals.push({ batchId: id, line: line.line, errors: verdict.errors });
            if (shownErrors.length < ERRORS_IN_ANSWER) shownErrors.push({ line: line.line, errors: verdict.errors });
          }
          if (items.length >= WRITE_CHUNK) await insertAll(manager, BatchItemEntity, items.splice(0));
          if (refusals.length >= WRITE_CHUNK) await insertAll(manager, BatchRejectionEntity, refusals.splice(0));
        }
        await insertAll(manager, BatchItemEntity, items);
        await insertAll(manager, BatchRejectionEntity, refusals);
        if (accepted + rejected === 0) {
          throw GatewayException.invalidInput([{ field: 'body', message: 'must hold at least one household' }], 'The batch file is empty.');
        }
        const done = accepted === 0 ? { status: 'completed' as const, finishedAt: now } : {};
        await manager.getRepository(BatchEntity).update({ id }, { total: accepted + rejected, accepted, rejected, ...done });
        await this.audit.enqueue(manager, {
          action: 'batch_submitted',
          actor: actorRef(actor),
          // The audit log has no batch field: the batch is named as a data category (`batch:<id>`).
          dataCategories: ['household', `batch:${id}`],
          status: 'succeeded',
          recordCount: accepted,
          occurredAt: now,
        });
      });
    } catch (err) {
      if (err instanceof BatchHeaderError) throw GatewayException.invalidInput(err.errors, 'The CSV header is not usable.');
      throw err;
    }
    this.logger.log(`batch ${id} from ${actor.username}: ${accepted} household(s) accepted, ${rejected} line(s) refused (${format})`);
    if (accepted > 0) this.runner.nudge();
    return {
      id,
      status: accepted === 0 ? 'completed' : 'running',
      createdAt: now.toISOString(),
      total: accepted + rejected,
      accepted,
      rejected,
      errors: shownErrors,
      errorsTruncated: rejected > shownErrors.length,
    };
  }
}

function judge(line: BatchLine, actor: Actor, required: readonly string[], now: Date) {
  if (line.errors) return { ok: false as const, errors: line.errors };
  return checkBatchLine(line.value, actor, required, now);
}

async function insertAll<T extends object>(manager: EntityManager, entity: new () => T, rows: T[]): Promise<void> {
  if (rows.length > 0) await manager.createQueryBuilder().insert().into(entity).values(rows as never[]).execute();
}

function tooMany(max: number): GatewayException {
  return GatewayException.invalidInput(
    [{ field: 'body', message: `must hold at most ${max} households (VERIHUB_BATCH_MAX_HOUSEHOLDS); split the file` }],
    'The batch file holds too many households.',
  );
}

/** Fails the upload once more than `max` bytes arrived (413), before they are all read. */
function byteLimit(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > max) {
        callback(new GatewayException(GatewayExceptionCode.BODY_TOO_LARGE, `The batch file is larger than ${max} bytes (VERIHUB_BATCH_MAX_BYTES); split it.`));
        return;
      }
      callback(null, chunk);
    },
  });
}
