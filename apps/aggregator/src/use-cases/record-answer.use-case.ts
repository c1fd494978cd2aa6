import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { DepartmentRecord } from '@verihub/domain';
import { OutboxRelay } from '@verihub/persistence';
import type { ProviderRequestEntity } from '../entities/provider-request.entity';
import type { VerificationEntity } from '../entities/verification.entity';
import { VerificationUpdates } from '../messages/verification-updates';
import { ReportIssuer } from '../reports/report-issuer';
import { ProviderAnswerRepository } from '../repositories/provider-answer.repository';
import { ProviderRequestRepository, type RequestOutcome } from '../repositories/provider-request.repository';
import { ReportVersionRepository } from '../repositories/report-version.repository';
import { VerificationRepository } from '../repositories/verification.repository';
import {
  ChangeReasons,
  changeReasonForRound,
  isLate,
  verificationStateOf,
} from '../rules/verification-rules';
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
    }
  | {
      kind: 'failed';
      requestId: string;
      verificationId: string;
      provider: string;
      reason: string;
    };

/**
 * - recorded: the request's status changed (and, when the round is over, a report version was issued);
 * - duplicate: the request already had its answer; nothing changed.
 */
export type RecordAnswerResult = { result: 'recorded'; late: boolean; reportVersion: number | null } | { result: 'duplicate' };

/**
 * Records a provider's answer or failure. Answers to one verification serialize on its row lock. When
 * the current round has nothing pending any more, the report is issued (version N+1); an outcome
 * arriving after that round's report (a late one) issues a new version too, never a silent change.
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
    private readonly relay: OutboxRelay,
  ) {}

  async execute(outcome: ProviderOutcome, now: Date = new Date()): Promise<RecordAnswerResult> {
    const result = await this.dataSource.transaction((manager) => this.record(manager, outcome, now));
    if (result.result === 'recorded') this.relay.nudge();
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
    if (request.status !== 'pending' && request.status !== 'timeout') {
      this.logger.log(`verification ${request.verificationId}: duplicate outcome from ${request.provider} ignored`);
      return { result: 'duplicate' };
    }
    const wasTimedOut = request.status === 'timeout';
    const late = wasTimedOut || isLate(now, request.deadline);

    let recorded: RequestOutcome;
    if (outcome.kind === 'answered') {
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
      });
    } else {
      recorded = { status: 'error', respondedAt: now, late, recordCount: 0, reason: outcome.reason };
    }
    await this.requests.recordOutcome(manager, request.requestId, recorded);
    this.logger.log(
      `verification ${request.verificationId}: ${request.provider} → ${recorded.status}` +
        `${recorded.status === 'answered' ? ` (${recorded.recordCount} records)` : ''}${late ? ' (late)' : ''}`,
    );

    const reportVersion = await this.afterOutcome(manager, verification, request, recorded, wasTimedOut, now);
    return { result: 'recorded', late, reportVersion };
  }

  /** Issues the report when the round is over, or tells the gateway about the progress. */
  private async afterOutcome(
    manager: EntityManager,
    verification: VerificationEntity,
    request: ProviderRequestEntity,
    recorded: RequestOutcome,
    wasTimedOut: boolean,
    now: Date,
  ): Promise<number | null> {
    if (request.round !== verification.currentRound) {
      // An answer to a round a re-check has replaced: recorded for the audit, reported nowhere.
      return null;
    }
    const round = await this.requests.forRound(manager, verification.id, verification.currentRound);
    const state = verificationStateOf(round.map((r) => r.status));
    if (state === 'pending') {
      await this.updates.enqueue(manager, verification.id);
      return null;
    }
    const reported = await this.reports.existsForRound(manager, verification.id, verification.currentRound);
    let reason: string;
    if (!reported) {
      const roundInfo = await this.verifications.findRound(manager, verification.id, verification.currentRound);
      reason = changeReasonForRound(verification.reportVersion, roundInfo?.recheckReason ?? null);
    } else if (wasTimedOut) {
      reason = recorded.status === 'error' ? ChangeReasons.lateFailure(request.provider) : ChangeReasons.lateAnswer(request.provider);
    } else {
      // Cannot happen: a reported round has nothing pending. Keep the gateway's view current anyway.
      await this.updates.enqueue(manager, verification.id);
      return null;
    }
    const issued = await this.issuer.issue(manager, verification, state, reason, now);
    return issued.version;
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
