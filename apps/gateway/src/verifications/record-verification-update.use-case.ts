import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { reportChanges } from './report-changes';
import type { VerificationUpdate } from './verification-update';
import { VerificationRepository } from './verification.repository';

export type UpdateOutcome = 'applied' | 'stale' | 'unknown_verification';

/**
 * Applies the aggregator's news to the read model, idempotently and only forwards: a report version is
 * stored once (a redelivery changes nothing), and the verification's status and sources take an update
 * only when it carries a higher report version, or the same version and an aggregator time no earlier than the
 * stored one (each update is a full snapshot; an equal time is a redelivery, applying it again changes nothing).
 * A lower version never regresses what a reader sees (it is still kept as a version if it was missing).
 */
@Injectable()
export class RecordVerificationUpdateUseCase {
  private readonly logger = new Logger(RecordVerificationUpdateUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly verifications: VerificationRepository,
  ) {}

  async execute(update: VerificationUpdate, receivedAt: Date = new Date()): Promise<UpdateOutcome> {
    const outcome = await this.dataSource.transaction(async (manager): Promise<UpdateOutcome> => {
      const current = await this.verifications.findForUpdate(manager, update.verificationId);
      if (!current) return 'unknown_verification';

      if (update.report && update.reportVersion > 0) {
        const existing = await this.verifications.findReportVersion(update.verificationId, update.reportVersion, manager);
        if (!existing) {
          const previous = await this.verifications.findPreviousReportVersion(manager, update.verificationId, update.reportVersion);
          await this.verifications.insertReportVersion(manager, {
            verificationId: update.verificationId,
            version: update.reportVersion,
            report: update.report,
            changeReason: update.changeReason,
            changes: previous ? reportChanges(previous.report, update.report) : null,
          });
        }
      }

      const stateTime = update.updatedAt ?? receivedAt;
      const newer =
        update.reportVersion > current.reportVersion ||
        (update.reportVersion === current.reportVersion && (current.stateUpdatedAt === null || stateTime >= current.stateUpdatedAt));
      if (!newer) return 'stale';
      await this.verifications.updateState(manager, update.verificationId, {
        status: update.status,
        sources: update.sources,
        reportVersion: update.reportVersion,
        stateUpdatedAt: stateTime,
        updatedAt: receivedAt,
      });
      return 'applied';
    });
    this.logger.debug(`verification ${update.verificationId} update (report v${update.reportVersion}, ${update.status}): ${outcome}`);
    return outcome;
  }
}
