import type { Logger } from '@nestjs/common';
import type { DepartmentRecord } from '@verihub/domain';
import type { ProviderRequestEntity } from '../entities/provider-request.entity';
import type { VerificationRoundEntity } from '../entities/verification-round.entity';
import type { VerificationEntity } from '../entities/verification.entity';
import type { SourceSnapshot } from '../messages/outgoing-messages';
import { type AnswerOutcome, type ProviderAct, answerReceivedActs, rejectionCategory } from '../messages/provider-audit';
import type { ReportDraft } from '../reports/report-issuer';
import type { NewProviderAnswer } from '../repositories/provider-answer.repository';
import type { RequestOutcome } from '../repositories/provider-request.repository';
import type { VerificationChange } from '../repositories/verification.repository';
import {
  type VerificationState,
  changeReasonForRound,
  givenAt,
  isLate,
  isSignatureRejection,
  verificationStateOf,
} from '../rules/verification-rules';
import { AggregatorErrorCode, AggregatorException } from './aggregator.exception';
import type { ProviderOutcome, RecordAnswerResult } from './provider-outcome';

/** What a batch of outcomes is applied to: read in its transaction, with the verifications locked. */
export interface LockedCases {
  /** Locked and opened. */
  verifications: VerificationEntity[];
  /** Every request of those verifications, each round's in forRound's order. */
  requests: ProviderRequestEntity[];
  rounds: VerificationRoundEntity[];
  /** The rounds that have a report version. */
  reportedRounds: ReadonlyArray<{ verificationId: string; round: number }>;
}

/** A VerificationUpdated to enqueue: the verification as it stood when the batch's last change to it asked for one. */
export interface SnapshotDraft {
  verificationId: string;
  status: VerificationState;
  interactive: boolean;
  sources: SourceSnapshot[];
  /** The newest version it shows (0: none). */
  reportVersion: number;
}

interface Case {
  verification: VerificationEntity;
  requests: ProviderRequestEntity[];
  rounds: Map<number, VerificationRoundEntity>;
  reportedRounds: Set<number>;
  changed: boolean;
}

const NOTHING = { reportVersion: null, reportDue: false } as const;

/**
 * Applies provider outcomes, in log order, to verifications read once under their locks — what
 * RecordAnswerUseCase did one transaction per outcome, with the same decisions in the same order — and
 * collects what they change: answers to store, requests' final states, audit acts, report versions to
 * compute (each from the round as it stood at that point), the verifications' new columns, and for each
 * verification the VerificationUpdated its last change asked for (a snapshot is the whole state, so the
 * last one is all the gateway needs; one it took before a later change the gateway must not see yet, a
 * late answer after the report, stays as it was taken). It reads and writes nothing itself.
 */
export class OutcomeBatch {
  private readonly cases = new Map<string, Case>();
  private readonly requests = new Map<string, ProviderRequestEntity>();
  private readonly recorded = new Set<ProviderRequestEntity>();
  private readonly snapshots = new Map<string, SnapshotDraft>();
  /** The first answer stored per request (a second one is ignored, as insertAllIfAbsent does). */
  readonly answers = new Map<string, NewProviderAnswer>();
  readonly acts: ProviderAct[] = [];
  readonly drafts: ReportDraft[] = [];

  constructor(
    locked: LockedCases,
    private readonly now: Date,
    private readonly logger: Logger,
  ) {
    for (const verification of locked.verifications) {
      this.cases.set(verification.id, { verification, requests: [], rounds: new Map(), reportedRounds: new Set(), changed: false });
    }
    for (const request of locked.requests) {
      this.requests.set(request.requestId, request);
      this.cases.get(request.verificationId)?.requests.push(request);
    }
    for (const round of locked.rounds) this.cases.get(round.verificationId)?.rounds.set(round.round, round);
    for (const { verificationId, round } of locked.reportedRounds) this.cases.get(verificationId)?.reportedRounds.add(round);
  }

  /** Applies one outcome; throws AggregatorException for one that can never be applied (see the error codes). */
  apply(outcome: ProviderOutcome): RecordAnswerResult {
    const request = this.requests.get(outcome.requestId);
    if (!request) {
      throw new AggregatorException(AggregatorErrorCode.UnknownRequest, `no request ${outcome.requestId} was ever sent`);
    }
    if (request.verificationId !== outcome.verificationId || request.provider !== outcome.provider) {
      throw new AggregatorException(
        AggregatorErrorCode.AnswerMismatch,
        `request ${request.requestId} went to ${request.provider} for verification ${request.verificationId}, ` +
          `not to ${outcome.provider} for ${outcome.verificationId}`,
      );
    }
    const thisCase = this.cases.get(request.verificationId);
    if (!thisCase) throw new Error(`verification ${request.verificationId} of request ${request.requestId} is missing`);
    const { verification } = thisCase;

    const signatureRejected = request.status === 'error' && isSignatureRejection(request.reason);
    if (request.status === 'not_queried') {
      // Its query was stopped (the member's authorization was revoked): nothing of the outcome is applied. Ids only.
      this.logger.warn(
        `verification ${request.verificationId}: outcome from ${request.provider} (request ${request.requestId}) ` +
          `for a stopped query (not_queried): ignored`,
      );
      const reason = outcome.kind === 'rejected' ? rejectionCategory(outcome.reason) : 'query_stopped';
      this.audit(thisCase, { request, status: 'refused', reason });
      return { result: 'ignored' };
    }
    if (outcome.kind === 'rejected' && request.status !== 'pending') {
      this.logger.warn(
        `verification ${request.verificationId}: ${outcome.reason} on an outcome from ${request.provider} ` +
          `(request ${request.requestId}, already ${request.status}): ignored`,
      );
      // Never dropped silently: the forgery is in the audit log, the settled request unchanged.
      this.audit(thisCase, { request, status: 'refused', reason: rejectionCategory(outcome.reason) });
      return { result: 'duplicate' };
    }
    if (request.status !== 'pending' && request.status !== 'timeout' && !signatureRejected) {
      this.logger.log(`verification ${request.verificationId}: duplicate outcome from ${request.provider} ignored`);
      return { result: 'duplicate' };
    }
    // A rejected signature's error is replaced like a timeout (a new report version when the report is out).
    const wasTimedOut = request.status === 'timeout' || signatureRejected;
    const statedAt = outcome.kind === 'answered' ? outcome.answeredAt : outcome.kind === 'failed' ? outcome.failedAt : null;
    const late = isLate(givenAt(statedAt, this.now), request.deadline);

    let recorded: RequestOutcome;
    if (outcome.kind === 'rejected') {
      // Nothing of it is believed: not its records, not its time. No personal data in the log line.
      this.logger.warn(
        `verification ${request.verificationId}: outcome from ${request.provider} (request ${request.requestId}) refused: ${outcome.reason}`,
      );
      recorded = { status: 'error', respondedAt: this.now, late, recordCount: 0, reason: outcome.reason };
    } else if (outcome.kind === 'answered') {
      checkRecordsConcernMembers(verification, outcome.records);
      recorded = {
        status: outcome.records.length > 0 ? 'answered' : 'no_record',
        respondedAt: this.now,
        late,
        recordCount: outcome.records.length,
        reason: null,
      };
      if (!this.answers.has(request.requestId)) {
        this.answers.set(request.requestId, {
          requestId: request.requestId,
          records: outcome.records,
          notFound: outcome.notFound,
          answeredAt: outcome.answeredAt ?? this.now,
          signature: outcome.signature,
          keyId: outcome.keyId ?? null,
        });
      }
    } else {
      recorded = { status: 'error', respondedAt: this.now, late, recordCount: 0, reason: outcome.reason };
    }
    // The audit event names the request as it was sent (round, provider, request time: none of them change).
    this.audit(
      thisCase,
      outcome.kind === 'rejected'
        ? { request, status: 'refused', reason: rejectionCategory(outcome.reason) }
        : {
            request,
            status: recorded.status as 'answered' | 'no_record' | 'error',
            ...(recorded.status === 'answered' || recorded.status === 'no_record' ? { recordCount: recorded.recordCount } : {}),
          },
    );
    Object.assign(request, recorded);
    this.recorded.add(request);
    // One line per provider answer: detail (debug); the report issue is logged once per verification.
    this.logger.debug(
      `verification ${request.verificationId}: ${request.provider} → ${recorded.status}` +
        `${recorded.status === 'answered' ? ` (${recorded.recordCount} records)` : ''}${late ? ' (late)' : ''}`,
    );
    return { result: 'recorded', late, ...this.afterOutcome(thisCase, request, wasTimedOut) };
  }

  /** The final state of every request an outcome was recorded on. */
  requestOutcomes(): Array<RequestOutcome & { requestId: string }> {
    return [...this.recorded].map((r) => ({
      requestId: r.requestId,
      status: r.status,
      respondedAt: r.respondedAt as Date,
      late: r.late,
      recordCount: r.recordCount,
      reason: r.reason,
    }));
  }

  /** The new columns of every verification a report was issued or made due for. */
  verificationChanges(): VerificationChange[] {
    return [...this.cases.values()]
      .filter((c) => c.changed)
      .map(({ verification: v }) => ({ id: v.id, status: v.status, reportVersion: v.reportVersion, reportDueSince: v.reportDueSince }));
  }

  snapshotDrafts(): SnapshotDraft[] {
    return [...this.snapshots.values()];
  }

  /** The stored versions the batch reads: each draft's previous version and each snapshot's, unless drafted here. */
  storedVersionsNeeded(): Array<{ verificationId: string; version: number }> {
    const drafted = new Set(this.drafts.map((d) => `${d.verification.id}:${d.version}`));
    const wanted = new Map<string, { verificationId: string; version: number }>();
    const want = (verificationId: string, version: number) => {
      const key = `${verificationId}:${version}`;
      if (version >= 1 && !drafted.has(key)) wanted.set(key, { verificationId, version });
    };
    for (const d of this.drafts) want(d.verification.id, d.version - 1);
    for (const s of this.snapshots.values()) want(s.verificationId, s.reportVersion);
    return [...wanted.values()];
  }

  /** Issues the round's report when the round is over, makes a new version due, or tells the gateway about the progress. */
  private afterOutcome(thisCase: Case, request: ProviderRequestEntity, wasTimedOut: boolean): { reportVersion: number | null; reportDue: boolean } {
    const { verification } = thisCase;
    if (request.round !== verification.currentRound) {
      // An answer to a round a re-check has replaced: recorded for the audit, reported nowhere.
      return NOTHING;
    }
    const round = thisCase.requests.filter((r) => r.round === verification.currentRound);
    const state = verificationStateOf(round.map((r) => r.status));
    if (state === 'pending') {
      // An officer watches an interactive check source by source; nobody watches a batch household's progress
      // (its batch counts pending and done), so it hears once, with its report.
      if (verification.interactive) this.snapshot(thisCase);
      return NOTHING;
    }
    if (!thisCase.reportedRounds.has(verification.currentRound)) {
      const draft: ReportDraft = {
        verification,
        version: verification.reportVersion + 1,
        round: verification.currentRound,
        status: state,
        changeReason: changeReasonForRound(verification.reportVersion, thisCase.rounds.get(verification.currentRound)?.recheckReason ?? null),
        // As the round stands now: a later outcome in the batch belongs to the next version.
        requests: round.map((r) => ({ ...r })),
      };
      this.drafts.push(draft);
      // As setIssued: the version includes every outcome so far, so none is due any more.
      verification.status = state;
      verification.reportVersion = draft.version;
      verification.reportDueSince = null;
      thisCase.reportedRounds.add(verification.currentRound);
      thisCase.changed = true;
      this.snapshot(thisCase);
      return { reportVersion: draft.version, reportDue: false };
    }
    if (wasTimedOut) {
      // The gateway hears of it with the new version, so that what it shows always matches an issued report.
      // The earliest instant is kept, so the window is not pushed back.
      verification.reportDueSince ??= this.now;
      thisCase.changed = true;
      this.logger.log(`verification ${verification.id}: a new report version is due (outcome from ${request.provider} after the report)`);
      return { reportVersion: null, reportDue: true };
    }
    // Cannot happen: a reported round has nothing pending. Keep the gateway's view current anyway.
    this.snapshot(thisCase);
    return NOTHING;
  }

  private audit(thisCase: Case, outcome: AnswerOutcome): void {
    const { verification, rounds } = thisCase;
    this.acts.push(...answerReceivedActs(verification, [outcome], (round) => rounds.get(round)?.requestedBy, this.now));
  }

  /** The verification's state now, as its VerificationUpdated will tell it (replacing one taken earlier in the batch). */
  private snapshot({ verification: v, requests }: Case): void {
    this.snapshots.set(v.id, {
      verificationId: v.id,
      status: v.status,
      interactive: v.interactive,
      reportVersion: v.reportVersion,
      sources: requests
        .filter((r) => r.round === v.currentRound)
        .map((r) => ({ provider: r.provider, status: r.status, recordCount: r.recordCount, respondedAt: r.respondedAt, reason: r.reason, late: r.late })),
    });
  }
}

/** A provider answers about the people it was asked about; anything else is refused, not stored. */
function checkRecordsConcernMembers(verification: VerificationEntity, records: DepartmentRecord[]): void {
  const asked = new Set(verification.members.map((m) => m.idNumber));
  const strangers = records.filter((r) => !asked.has(r.idNumber)).length;
  if (strangers > 0) {
    throw new AggregatorException(
      AggregatorErrorCode.RecordOutsideRequest,
      `${strangers} record(s) concern people verification ${verification.id} did not ask about`,
    );
  }
}
