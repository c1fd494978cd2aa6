import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type AppliedOutcome, VerificationUpdateBatch, reportVersionKeysOf } from './verification-update-batch';
import type { VerificationUpdate } from './verification-update';
import { VerificationRepository } from './verification.repository';

/** Updates of verifications this gateway never accepted: their batch is not applied at all. */
export class UnknownVerifications extends Error {
  constructor(readonly ids: readonly string[]) {
    super(`no verification ${ids.join(', ')} in this gateway`);
    this.name = 'UnknownVerifications';
  }
}

/**
 * Applies the aggregator's news to the read model, idempotently and only forwards: a report version is
 * stored once (a redelivery changes nothing), and the verification's status and sources take an update
 * only when it carries a higher report version, or the same version and an aggregator time no earlier than the
 * stored one (each update is a full snapshot; an equal time is a redelivery, applying it again changes nothing).
 * A lower version never regresses what a reader sees (it is still kept as a version if it was missing).
 *
 * Many updates at once (executeBatch: a batch of the topic's partition, in log order) share one transaction:
 * it locks their verifications in id order, reads the report versions they carry (and the previous ones their
 * changes are computed against) once, applies the updates one after the other in memory
 * (VerificationUpdateBatch: the rules above, as if each came alone) and writes each table with one statement —
 * the same rows as one update at a time, in about five statements whatever the batch's size.
 */
@Injectable()
export class RecordVerificationUpdateUseCase {
  private readonly logger = new Logger(RecordVerificationUpdateUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly verifications: VerificationRepository,
  ) {}

  /**
   * Applies the updates in their order, in one transaction; one outcome per update. Throws
   * UnknownVerifications, having written nothing, when one of them is about a verification this gateway
   * does not have.
   */
  async executeBatch(updates: readonly VerificationUpdate[], receivedAt: Date = new Date()): Promise<AppliedOutcome[]> {
    if (updates.length === 0) return [];
    const outcomes = await this.dataSource.transaction((manager) => this.applyAll(manager, updates, receivedAt));
    const applied = outcomes.filter((o) => o === 'applied').length;
    this.logger.debug(`${updates.length} verification update(s): ${applied} applied, ${updates.length - applied} stale`);
    return outcomes;
  }

  private async applyAll(manager: EntityManager, updates: readonly VerificationUpdate[], receivedAt: Date): Promise<AppliedOutcome[]> {
    const ids = [...new Set(updates.map((u) => u.verificationId))];
    const locked = await this.verifications.lockUpdateStates(manager, ids);
    if (locked.length < ids.length) {
      const found = new Set(locked.map((v) => v.id));
      throw new UnknownVerifications(ids.filter((id) => !found.has(id)));
    }
    // Read after the locks: report versions of these verifications are written only under them.
    const versions = await this.verifications.findReportVersionsWithPrevious(manager, reportVersionKeysOf(updates));
    const batch = new VerificationUpdateBatch(locked, versions, receivedAt);
    const outcomes = updates.map((update) => batch.apply(update));
    await this.verifications.insertReportVersions(manager, batch.newVersions);
    await this.verifications.updateStates(manager, batch.stateChanges());
    return outcomes;
  }
}
