import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { OutboxRelay } from '@verihub/persistence';
import { AGGREGATOR_SETTINGS, type AggregatorSettings } from '../aggregator-options';
import { ReportIssuer } from '../reports/report-issuer';
import { ProviderRequestRepository } from '../repositories/provider-request.repository';
import { ReportVersionRepository } from '../repositories/report-version.repository';
import { VerificationRepository } from '../repositories/verification.repository';
import { ChangeReasons, sourcesChangedSince, verificationStateOf } from '../rules/verification-rules';

export interface IssueDueReportsResult {
  /** Report versions issued. */
  issued: number;
  /** Late outcomes those versions include. */
  outcomes: number;
}

/**
 * Issues the report version that late answers made due (RecordAnswerUseCase marks it): one version per
 * verification, once `lateAnswerWindowMs` has passed since the first of them, including every outcome
 * recorded since the previous version — its change reason names each provider ("late answers from tax,
 * housing"). Late answers that arrive together (a backlog read after a restart) thus make one version, not
 * one each; versions stay immutable and nothing changes without one. Safe in every instance at once: each
 * verification is handled on its row lock, taken with SKIP LOCKED.
 */
@Injectable()
export class IssueDueReportsUseCase {
  private readonly logger = new Logger(IssueDueReportsUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(AGGREGATOR_SETTINGS) private readonly settings: AggregatorSettings,
    private readonly verifications: VerificationRepository,
    private readonly requests: ProviderRequestRepository,
    private readonly reports: ReportVersionRepository,
    private readonly issuer: ReportIssuer,
    private readonly relay: OutboxRelay,
  ) {}

  async execute(now: Date = new Date()): Promise<IssueDueReportsResult> {
    const result: IssueDueReportsResult = { issued: 0, outcomes: 0 };
    const dueSince = new Date(now.getTime() - this.settings.lateAnswerWindowMs);
    const ids = await this.verifications.dueForReport(this.dataSource.manager, dueSince, this.settings.sweepBatchSize);
    for (const id of ids) {
      try {
        const included = await this.dataSource.transaction((manager) => this.issueDue(manager, id, dueSince, now));
        if (included > 0) {
          result.issued += 1;
          result.outcomes += included;
        }
      } catch (err) {
        // One verification that cannot be reported must not hold up the others; it is retried next run.
        this.logger.error(`verification ${id}: issuing the due report version failed: ${(err as Error).message}`, (err as Error).stack);
      }
    }
    if (result.issued > 0) this.relay.nudge();
    return result;
  }

  /** Returns how many late outcomes the issued version includes (0: nothing issued). */
  private async issueDue(manager: EntityManager, id: string, dueSince: Date, now: Date): Promise<number> {
    const verification = await this.verifications.tryLock(manager, id);
    if (!verification?.reportDueSince || verification.reportDueSince.getTime() > dueSince.getTime()) return 0;

    const round = await this.requests.forRound(manager, id, verification.currentRound);
    const state = verificationStateOf(round.map((r) => r.status));
    const previous = await this.reports.find(manager, id, verification.reportVersion);
    if (state === 'pending' || !previous || previous.round !== verification.currentRound) {
      // The round's own first report will include them (it is not out yet, or a re-check started a new round).
      await this.verifications.clearReportDue(manager, id);
      return 0;
    }
    const order = new Map(this.settings.providers.map((p, i) => [p.id, i]));
    const rank = (provider: string) => order.get(provider) ?? order.size;
    const changed = sourcesChangedSince(previous.report.sources, round).sort(
      (a, b) => rank(a.provider) - rank(b.provider) || a.provider.localeCompare(b.provider),
    );
    if (changed.length === 0) {
      await this.verifications.clearReportDue(manager, id);
      return 0;
    }
    const reason = ChangeReasons.afterReport(
      changed.map((r) => ({ provider: r.provider, outcome: r.status === 'error' ? ('failure' as const) : ('answer' as const), late: r.late })),
    );
    this.logger.log(`verification ${id}: a new report version for ${changed.map((r) => r.provider).join(', ')}`);
    await this.issuer.issue(manager, verification, state, reason, now);
    return changed.length;
  }
}
