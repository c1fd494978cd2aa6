import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { OutgoingMessage } from '@verihub/messaging';
import { OutboxRelay, enqueueOutbox } from '@verihub/persistence';
import { verificationUpdatedMessage } from '../messages/outgoing-messages';
import { ProviderAuditTrail } from '../messages/provider-audit';
import { type ReportAnswer, ReportIssuer, answeredRequestIds } from '../reports/report-issuer';
import { ProviderAnswerRepository } from '../repositories/provider-answer.repository';
import { ProviderRequestRepository } from '../repositories/provider-request.repository';
import { type IssuedReport, ReportVersionRepository } from '../repositories/report-version.repository';
import { VerificationRepository } from '../repositories/verification.repository';
import { OutcomeBatch } from './outcome-batch';
import type { ProviderOutcome, RecordAnswerResult } from './provider-outcome';

export type { ProviderOutcome, RecordAnswerResult } from './provider-outcome';

/**
 * Records providers' answers and failures. Answers to one verification serialize on its row lock. When
 * the current round has nothing pending any more, the report is issued (version N+1). An outcome arriving
 * after that round's report (its request was marked `timeout`) is recorded at once and makes a new version
 * due: IssueDueReportsUseCase issues it a short window later, with every other outcome that arrived
 * meanwhile — never a silent change, and one version for answers that arrive together.
 *
 * Lateness is judged on the provider's own answer time (givenAt): an answer given by the deadline is not
 * late, even when the transport delivers it after the deadline.
 *
 * A `rejected` outcome (unsigned or forged: see QueryOutcomeHandler) is never recorded as an answer: a
 * request still pending gets status `error` with the reason "answer signature missing|invalid" (which
 * completes the round like any error); a request no longer pending is left as it is (a forgery never changes
 * an issued report). Such an error stays replaceable: a validly signed outcome arriving later is recorded
 * over it, as after a timeout (a new report version when the round's report is out) — so whoever can write
 * to the answer topic without a provider's key can delay an answer, never suppress or alter it.
 *
 * Many outcomes at once (executeBatch: a batch of the answer topic) share one transaction: it locks their
 * verifications in id order, reads their requests, rounds and reports once, applies the outcomes in log
 * order in memory (OutcomeBatch: the decisions above, one outcome after the other), and writes each table
 * with one statement. About a dozen statements per batch, whatever its size; one outcome that can never be
 * applied (AggregatorException) fails the whole batch before anything is written, and the transport hands
 * its messages over again one at a time.
 */
@Injectable()
export class RecordAnswerUseCase {
  private readonly logger = new Logger(RecordAnswerUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly verifications: VerificationRepository,
    private readonly requests: ProviderRequestRepository,
    private readonly answers: ProviderAnswerRepository,
    private readonly reports: ReportVersionRepository,
    private readonly issuer: ReportIssuer,
    private readonly audit: ProviderAuditTrail,
    private readonly relay: OutboxRelay,
  ) {}

  async execute(outcome: ProviderOutcome, now: Date = new Date()): Promise<RecordAnswerResult> {
    const [result] = await this.executeBatch([outcome], now);
    return result;
  }

  /** Records outcomes in their order, in one transaction; one result per outcome. */
  async executeBatch(outcomes: readonly ProviderOutcome[], now: Date = new Date()): Promise<RecordAnswerResult[]> {
    if (outcomes.length === 0) return [];
    const results = await this.dataSource.transaction((manager) => this.recordAll(manager, outcomes, now));
    // Recorded outcomes and refused ones both left an audit event in the outbox.
    this.relay.nudge();
    return results;
  }

  private async recordAll(manager: EntityManager, outcomes: readonly ProviderOutcome[], now: Date): Promise<RecordAnswerResult[]> {
    const verifications = await this.verifications.lockForRequests(manager, [...new Set(outcomes.map((o) => o.requestId))]);
    const ids = verifications.map((v) => v.id);
    // Read after the locks: a concurrent answer, the sweeper or a revocation may have changed them.
    const batch = new OutcomeBatch(
      {
        verifications,
        requests: await this.requests.ofVerifications(manager, ids),
        rounds: await this.verifications.roundsOf(manager, ids),
        reportedRounds: await this.reports.roundsReported(manager, ids),
      },
      now,
      this.logger,
    );
    const results = outcomes.map((outcome) => batch.apply(outcome));

    const stored = await this.reports.findAll(manager, batch.storedVersionsNeeded());
    const issued = await this.composeReports(manager, batch, stored, now);
    await this.answers.insertAllIfAbsent(manager, [...batch.answers.values()]);
    await this.requests.recordOutcomes(manager, batch.requestOutcomes());
    await this.reports.insertAll(manager, issued);
    await this.verifications.saveProgress(manager, batch.verificationChanges());
    const updates = await this.updatesOf(manager, batch, [...issued, ...stored]);
    await enqueueOutbox(manager, [...this.audit.messagesOf(batch.acts), ...updates]);
    for (const report of issued) this.issuer.logIssued(report);
    return results;
  }

  /** The report versions the batch's drafts describe, in order (one may be the previous version of the next). */
  private async composeReports(
    manager: EntityManager,
    batch: OutcomeBatch,
    stored: readonly IssuedReport[],
    now: Date,
  ): Promise<Array<Omit<IssuedReport, 'createdAt'>>> {
    if (batch.drafts.length === 0) return [];
    const answers = new Map<string, ReportAnswer>();
    for (const [requestId, answer] of batch.answers) {
      // As a report reads it back from the table (stored as JSON): the same report as when it was read back.
      answers.set(requestId, { records: asStored(answer.records), notFound: asStored(answer.notFound), keyId: answer.keyId });
    }
    const elsewhere = [...new Set(batch.drafts.flatMap((d) => answeredRequestIds(d.requests)))].filter((id) => !answers.has(id));
    for (const [requestId, answer] of await this.answers.byRequestId(manager, elsewhere)) answers.set(requestId, answer);

    const issued: Array<Omit<IssuedReport, 'createdAt'>> = [];
    for (const draft of batch.drafts) {
      const previous = versionOf([...issued, ...stored], draft.verification.id, draft.version - 1);
      issued.push(this.issuer.compose(draft, answers, previous ?? null, now));
    }
    return issued;
  }

  /**
   * The VerificationUpdated of each snapshot the batch took. Their updated_at is PostgreSQL's clock read
   * now, with the verifications locked and changed — one clock for every aggregator instance, increasing
   * with each locked change — so the gateway can keep the newest.
   */
  private async updatesOf(
    manager: EntityManager,
    batch: OutcomeBatch,
    versions: ReadonlyArray<Omit<IssuedReport, 'createdAt'>>,
  ): Promise<OutgoingMessage[]> {
    const snapshots = batch.snapshotDrafts();
    if (snapshots.length === 0) return [];
    const [{ now: updatedAt }] = (await manager.query('SELECT clock_timestamp() AS now')) as [{ now: Date }];
    return snapshots.map((snapshot) => {
      const latest = versionOf(versions, snapshot.verificationId, snapshot.reportVersion);
      return verificationUpdatedMessage({
        verificationId: snapshot.verificationId,
        status: snapshot.status,
        sources: snapshot.sources,
        reportVersion: latest?.version ?? 0,
        reportJson: latest ? JSON.stringify(latest.report) : '',
        changeReason: latest?.changeReason ?? '',
        updatedAt,
        interactive: snapshot.interactive,
      });
    });
  }
}

function versionOf<T extends { verificationId: string; version: number }>(versions: readonly T[], verificationId: string, version: number): T | undefined {
  return versions.find((v) => v.verificationId === verificationId && v.version === version);
}

/** A value as it reads back from a JSON column. */
function asStored<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
