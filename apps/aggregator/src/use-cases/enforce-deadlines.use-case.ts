import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { OutboxRelay } from '@verihub/persistence';
import { AGGREGATOR_SETTINGS, type AggregatorSettings } from '../aggregator-options';
import { ProviderAuditTrail } from '../messages/provider-audit';
import { VerificationUpdates } from '../messages/verification-updates';
import { ReportIssuer } from '../reports/report-issuer';
import { ProviderRequestRepository } from '../repositories/provider-request.repository';
import { ReportVersionRepository } from '../repositories/report-version.repository';
import { VerificationRepository } from '../repositories/verification.repository';
import { changeReasonForRound, verificationStateOf } from '../rules/verification-rules';

export interface EnforceDeadlinesResult {
  /** Verifications whose overdue requests were marked timeout. */
  verifications: number;
  /** Requests marked timeout. */
  timedOut: number;
  /** Reports issued because a round ended by timeout. */
  reportsIssued: number;
}

/**
 * Marks pending provider requests past their deadline `timeout`, and issues the report (partial) of
 * every verification whose current round has nothing pending any more. Safe in every aggregator
 * instance at once: each verification is handled in its own transaction on its row lock, taken with
 * SKIP LOCKED so instances (and answers in progress) never wait on each other; what is skipped is
 * picked up by the next run.
 */
@Injectable()
export class EnforceDeadlinesUseCase {
  private readonly logger = new Logger(EnforceDeadlinesUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(AGGREGATOR_SETTINGS) private readonly settings: AggregatorSettings,
    private readonly verifications: VerificationRepository,
    private readonly requests: ProviderRequestRepository,
    private readonly reports: ReportVersionRepository,
    private readonly issuer: ReportIssuer,
    private readonly updates: VerificationUpdates,
    private readonly audit: ProviderAuditTrail,
    private readonly relay: OutboxRelay,
  ) {}

  async execute(now: Date = new Date()): Promise<EnforceDeadlinesResult> {
    const result: EnforceDeadlinesResult = { verifications: 0, timedOut: 0, reportsIssued: 0 };
    const ids = await this.requests.overdueVerificationIds(this.dataSource.manager, now, this.settings.sweepBatchSize);
    for (const id of ids) {
      try {
        const outcome = await this.dataSource.transaction((manager) => this.enforce(manager, id, now));
        if (outcome.timedOut > 0) {
          result.verifications += 1;
          result.timedOut += outcome.timedOut;
          result.reportsIssued += outcome.reportIssued ? 1 : 0;
        }
      } catch (err) {
        // One verification that cannot be reported must not hold up the others; it is retried next run.
        this.logger.error(`verification ${id}: enforcing deadlines failed: ${(err as Error).message}`, (err as Error).stack);
      }
    }
    if (result.timedOut > 0) this.relay.nudge();
    return result;
  }

  private async enforce(manager: EntityManager, id: string, now: Date): Promise<{ timedOut: number; reportIssued: boolean }> {
    const verification = await this.verifications.tryLock(manager, id);
    if (!verification) return { timedOut: 0, reportIssued: false };
    const overdue = await this.requests.timeOutOverdue(manager, id, now);
    if (overdue.length === 0) return { timedOut: 0, reportIssued: false };
    this.logger.warn(`verification ${id}: no answer by the deadline from ${overdue.map((r) => r.provider).join(', ')}`);
    await this.audit.answersReceived(
      manager,
      verification,
      overdue.map((request) => ({ request, status: 'timeout' as const })),
      now,
    );
    if (!overdue.some((r) => r.round === verification.currentRound)) return { timedOut: overdue.length, reportIssued: false };

    const round = await this.requests.forRound(manager, id, verification.currentRound);
    const state = verificationStateOf(round.map((r) => r.status));
    if (state === 'pending' || (await this.reports.existsForRound(manager, id, verification.currentRound))) {
      await this.updates.enqueue(manager, id);
      return { timedOut: overdue.length, reportIssued: false };
    }
    const roundInfo = await this.verifications.findRound(manager, id, verification.currentRound);
    await this.issuer.issue(
      manager,
      verification,
      state,
      changeReasonForRound(verification.reportVersion, roundInfo?.recheckReason ?? null),
      now,
    );
    return { timedOut: overdue.length, reportIssued: true };
  }
}
