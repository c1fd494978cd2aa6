import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { DepartmentRecord } from '@verihub/domain';
import { OutboxRelay } from '@verihub/persistence';
import type { ProviderRequestEntity } from '../entities/provider-request.entity';
import type { VerificationEntity } from '../entities/verification.entity';
import { ProviderAuditTrail, rejectionCategory } from '../messages/provider-audit';
import { VerificationUpdates } from '../messages/verification-updates';
import { ReportIssuer } from '../reports/report-issuer';
import { ProviderAnswerRepository } from '../repositories/provider-answer.repository';
import { ProviderRequestRepository, type RequestOutcome } from '../repositories/provider-request.repository';
import { ReportVersionRepository } from '../repositories/report-version.repository';
import { VerificationRepository } from '../repositories/verification.repository';
import { changeReasonForRound, givenAt, isLate, isSignatureRejection, verificationStateOf } from '../rules/verification-rules';
import { AggregatorErrorCode, AggregatorException } from './aggregator.exception';

/** What a provider said about one request: its records, or why it could not answer. */
export type ProviderOutcome =
  | {
      kind: 'answered';
      requestId: string;
      verificationId: string;
      provider: string;
      /** The provider's own answer time, when it gave a valid one. */
      answeredAt: Date | null;
      records: DepartmentRecord[];
      notFound: string[];
      signature: string | null;
      /** Id of the provider's registered key the signature was verified with (null: not verified here). */
      keyId?: string | null;
    }
  | {
      /** An answer or failure without a valid signature of the provider's registered key: nothing of it is believed. */
      kind: 'rejected';
      requestId: string;
      verificationId: string;
      provider: string;
      /** signatureRejectionReason(...) */
      reason: string;
    }
  | {
      kind: 'failed';
      requestId: string;
      verificationId: string;
      provider: string;
      /** The provider's own failure time, when it gave a valid one. */
      failedAt: Date | null;
      reason: string;
    };

/**
 * - recorded: the request's status changed; when the round is over, its first report version was issued
 *   (reportVersion), or — the round's report being out already — a new version is due (reportDue);
 * - duplicate: the request already had its answer; nothing changed;
 * - ignored: the request was stopped (not_queried, e.g. authorization revoked); the outcome is not applied.
 */
export type RecordAnswerResult =
  | { result: 'recorded'; late: boolean; reportVersion: number | null; reportDue: boolean }
  | { result: 'duplicate' }
  | { result: 'ignored' };

/**
 * Records a provider's answer or failure. Answers to one verification serialize on its row lock. When
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
    private readonly updates: VerificationUpdates,
    private readonly audit: ProviderAuditTrail,
    private readonly relay: OutboxRelay,
  ) {}

  async execute(outcome: ProviderOutcome, now: Date = new Date()): Promise<RecordAnswerResult> {
    const result = await this.dataSource.transaction((manager) => this.record(manager, outcome, now));
    // Recorded outcomes and refused ones both left an audit event in the outbox.
    this.relay.nudge();
    return result;
  }

  private async record(manager: EntityManager, outcome: ProviderOutcome, now: Date): Promise<RecordAnswerResult> {
    const known = await this.requests.findById(manager, outcome.requestId);
    if (!known) {
      throw new AggregatorException(AggregatorErrorCode.UnknownRequest, `no request ${outcome.requestId} was ever sent`);
    }
    if (known.verificationId !== outcome.verificationId || known.provider !== outcome.provider) {
      throw new AggregatorException(
        AggregatorErrorCode.AnswerMismatch,
        `request ${known.requestId} went to ${known.provider} for verification ${known.verificationId}, ` +
          `not to ${outcome.provider} for ${outcome.verificationId}`,
      );
    }

    const verification = await this.verifications.lock(manager, known.verificationId);
    if (!verification) throw new Error(`verification ${known.verificationId} of request ${known.requestId} is missing`);
    // Read again under the lock: a concurrent duplicate or the sweeper may have changed it.
    const request = (await this.requests.findById(manager, known.requestId)) as ProviderRequestEntity;
    const signatureRejected = request.status === 'error' && isSignatureRejection(request.reason);
    if (request.status === 'not_queried') {
      // Its query was stopped (the member's authorization was revoked): nothing of the outcome is applied. Ids only.
      this.logger.warn(
        `verification ${request.verificationId}: outcome from ${request.provider} (request ${request.requestId}) ` +
          `for a stopped query (not_queried): ignored`,
      );
      const reason = outcome.kind === 'rejected' ? rejectionCategory(outcome.reason) : 'query_stopped';
      await this.audit.answersReceived(manager, verification, [{ request, status: 'refused', reason }], now);
      return { result: 'ignored' };
    }
    if (outcome.kind === 'rejected' && request.status !== 'pending') {
      this.logger.warn(
        `verification ${request.verificationId}: ${outcome.reason} on an outcome from ${request.provider} ` +
          `(request ${request.requestId}, already ${request.status}): ignored`,
      );
      // Never dropped silently: the forgery is in the audit log, the settled request unchanged.
      await this.audit.answersReceived(manager, verification, [{ request, status: 'refused', reason: rejectionCategory(outcome.reason) }], now);
      return { result: 'duplicate' };
    }
    if (request.status !== 'pending' && request.status !== 'timeout' && !signatureRejected) {
      this.logger.log(`verification ${request.verificationId}: duplicate outcome from ${request.provider} ignored`);
      return { result: 'duplicate' };
    }
    // A rejected signature's error is replaced like a timeout (a new report version when the report is out).
    const wasTimedOut = request.status === 'timeout' || signatureRejected;
    const statedAt = outcome.kind === 'answered' ? outcome.answeredAt : outcome.kind === 'failed' ? outcome.failedAt : null;
    const late = isLate(givenAt(statedAt, now), request.deadline);

    let recorded: RequestOutcome;
    if (outcome.kind === 'rejected') {
      // Nothing of it is believed: not its records, not its time. No personal data in the log line.
      this.logger.warn(
        `verification ${request.verificationId}: outcome from ${request.provider} (request ${request.requestId}) refused: ${outcome.reason}`,
      );
      recorded = { status: 'error', respondedAt: now, late, recordCount: 0, reason: outcome.reason };
    } else if (outcome.kind === 'answered') {
      this.checkRecordsConcernMembers(verification, outcome.records);
      recorded = {
        status: outcome.records.length > 0 ? 'answered' : 'no_record',
        respondedAt: now,
        late,
        recordCount: outcome.records.length,
        reason: null,
      };
      await this.answers.insertIfAbsent(manager, {
        requestId: request.requestId,
        records: outcome.records,
        notFound: outcome.notFound,
        answeredAt: outcome.answeredAt ?? now,
        signature: outcome.signature,
        keyId: outcome.keyId ?? null,
      });
    } else {
      recorded = { status: 'error', respondedAt: now, late, recordCount: 0, reason: outcome.reason };
    }
    await this.requests.recordOutcome(manager, request.requestId, recorded);
    await this.audit.answersReceived(
      manager,
      verification,
      [
        outcome.kind === 'rejected'
          ? { request, status: 'refused', reason: rejectionCategory(outcome.reason) }
          : {
              request,
              status: recorded.status as 'answered' | 'no_record' | 'error',
              ...(recorded.status === 'answered' || recorded.status === 'no_record' ? { recordCount: recorded.recordCount } : {}),
            },
      ],
      now,
    );
    // One line per provider answer: detail (debug); the report issue is logged once per verification.
    this.logger.debug(
      `verification ${request.verificationId}: ${request.provider} → ${recorded.status}` +
        `${recorded.status === 'answered' ? ` (${recorded.recordCount} records)` : ''}${late ? ' (late)' : ''}`,
    );

    const next = await this.afterOutcome(manager, verification, request, wasTimedOut, now);
    return { result: 'recorded', late, ...next };
  }

  /** Issues the round's report when the round is over, makes a new version due, or tells the gateway about the progress. */
  private async afterOutcome(
    manager: EntityManager,
    verification: VerificationEntity,
    request: ProviderRequestEntity,
    wasTimedOut: boolean,
    now: Date,
  ): Promise<{ reportVersion: number | null; reportDue: boolean }> {
    const nothing = { reportVersion: null, reportDue: false };
    if (request.round !== verification.currentRound) {
      // An answer to a round a re-check has replaced: recorded for the audit, reported nowhere.
      return nothing;
    }
    const round = await this.requests.forRound(manager, verification.id, verification.currentRound);
    const state = verificationStateOf(round.map((r) => r.status));
    if (state === 'pending') {
      // An officer watches an interactive check source by source; nobody watches a batch household's progress
      // (its batch counts pending and done), so it tells the gateway once, with its report: five fewer messages
      // and read-model transactions per household.
      if (verification.interactive) await this.updates.enqueue(manager, verification.id);
      return nothing;
    }
    if (!(await this.reports.existsForRound(manager, verification.id, verification.currentRound))) {
      const roundInfo = await this.verifications.findRound(manager, verification.id, verification.currentRound);
      const reason = changeReasonForRound(verification.reportVersion, roundInfo?.recheckReason ?? null);
      const issued = await this.issuer.issue(manager, verification, state, reason, now);
      return { reportVersion: issued.version, reportDue: false };
    }
    if (wasTimedOut) {
      // The gateway hears of it with the new version, so that what it shows always matches an issued report.
      await this.verifications.markReportDue(manager, verification.id, now);
      this.logger.log(`verification ${verification.id}: a new report version is due (outcome from ${request.provider} after the report)`);
      return { reportVersion: null, reportDue: true };
    }
    // Cannot happen: a reported round has nothing pending. Keep the gateway's view current anyway.
    await this.updates.enqueue(manager, verification.id);
    return nothing;
  }

  /** A provider answers about the people it was asked about; anything else is refused, not stored. */
  private checkRecordsConcernMembers(verification: VerificationEntity, records: DepartmentRecord[]): void {
    const asked = new Set(verification.members.map((m) => m.idNumber));
    const strangers = records.filter((r) => !asked.has(r.idNumber)).length;
    if (strangers > 0) {
      throw new AggregatorException(
        AggregatorErrorCode.RecordOutsideRequest,
        `${strangers} record(s) concern people verification ${verification.id} did not ask about`,
      );
    }
  }
}
