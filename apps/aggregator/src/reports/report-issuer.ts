import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  computeHouseholdReport,
  departmentOf,
  diffReports,
  type Program,
  type Purpose,
  type ReportInput,
  type SourceAnswer,
} from '@verihub/domain';
import type { ProviderAnswerEntity } from '../entities/provider-answer.entity';
import type { ProviderRequestEntity } from '../entities/provider-request.entity';
import type { VerificationEntity } from '../entities/verification.entity';
import { VerificationUpdates } from '../messages/verification-updates';
import { ProviderAnswerRepository } from '../repositories/provider-answer.repository';
import { ProviderRequestRepository } from '../repositories/provider-request.repository';
import { type IssuedReport, ReportVersionRepository } from '../repositories/report-version.repository';
import { VerificationRepository } from '../repositories/verification.repository';
import { reportNumberFor, shanghaiIso } from '../rules/verification-rules';

/** What a report version is computed from: the verification, and its round's requests as they stand. */
export interface ReportDraft {
  verification: VerificationEntity;
  /** version = the verification's previous version + 1 */
  version: number;
  round: number;
  status: 'complete' | 'partial';
  changeReason: string;
  /** The round's requests (in forRound's order), as they stood when the round's report became due. */
  requests: ProviderRequestEntity[];
}

/** The stored answer of a request, as a report reads it. */
export type ReportAnswer = Pick<ProviderAnswerEntity, 'records' | 'notFound' | 'keyId'>;

/**
 * Issues the next version of a verification's report: the only place that computes a report. It reads
 * the current round's answers, computes the report (libs/domain), stores it as version N+1 with what
 * changed since N, and enqueues the VerificationUpdated — all in the caller's transaction, on a
 * verification the caller has locked. compose() is the computation alone, for a caller that reads and
 * writes many verifications at once (RecordAnswerUseCase).
 */
@Injectable()
export class ReportIssuer {
  private readonly logger = new Logger(ReportIssuer.name);

  constructor(
    private readonly verifications: VerificationRepository,
    private readonly requests: ProviderRequestRepository,
    private readonly answers: ProviderAnswerRepository,
    private readonly reports: ReportVersionRepository,
    private readonly updates: VerificationUpdates,
  ) {}

  async issue(
    manager: EntityManager,
    verification: VerificationEntity,
    status: 'complete' | 'partial',
    changeReason: string,
    now: Date,
  ): Promise<IssuedReport> {
    const requests = await this.requests.forRound(manager, verification.id, verification.currentRound);
    const answers = await this.answers.byRequestId(manager, answeredRequestIds(requests));
    const previous = await this.reports.find(manager, verification.id, verification.reportVersion);
    const draft: ReportDraft = {
      verification,
      version: verification.reportVersion + 1,
      round: verification.currentRound,
      status,
      changeReason,
      requests,
    };
    const issued = this.compose(draft, answers, previous, now);
    await this.reports.insert(manager, issued);
    await this.verifications.setIssued(manager, verification.id, status, issued.version);
    verification.status = status;
    verification.reportVersion = issued.version;
    await this.updates.enqueue(manager, verification.id);
    this.logIssued(issued);
    return { ...issued, createdAt: now };
  }

  /** The version a draft describes (pure): `answers` holds the stored answer of each answered request. */
  compose(
    draft: ReportDraft,
    answers: ReadonlyMap<string, ReportAnswer>,
    previous: Pick<IssuedReport, 'report'> | null,
    now: Date,
  ): Omit<IssuedReport, 'createdAt'> {
    const { verification, version } = draft;
    const input: ReportInput = {
      verificationId: verification.id,
      reportNumber: reportNumberFor(verification.id, verification.requestedAt),
      version,
      asOf: verification.asOf,
      program: verification.program as Program,
      purpose: verification.purpose as Purpose,
      regionCode: verification.regionCode,
      members: verification.members,
      ...(verification.declared ? { declared: verification.declared } : {}),
      policy: verification.policy,
      sources: sourcesOf(draft.requests, answers),
      issuedAt: shanghaiIso(now),
    };
    const report = computeHouseholdReport(input);
    return {
      verificationId: verification.id,
      version,
      round: draft.round,
      status: draft.status,
      report,
      changeReason: draft.changeReason,
      changes: previous ? diffReports(previous.report, report) : null,
    };
  }

  /** The log line of an issued version. The change reason is not logged: a re-check's reason is free text a reviewer wrote. */
  logIssued(issued: Pick<IssuedReport, 'verificationId' | 'version' | 'status'>): void {
    this.logger.log(`verification ${issued.verificationId}: report version ${issued.version} issued (${issued.status})`);
  }
}

/** The requests whose answer a report reads (answered, or answered with nothing). */
export function answeredRequestIds(requests: readonly ProviderRequestEntity[]): string[] {
  return requests.filter((r) => r.status === 'answered' || r.status === 'no_record').map((r) => r.requestId);
}

/** What each provider of the round answered, as the computation reads it. */
function sourcesOf(requests: readonly ProviderRequestEntity[], answers: ReadonlyMap<string, ReportAnswer>): SourceAnswer[] {
  return requests.map((request): SourceAnswer => {
    const answer = request.status === 'answered' || request.status === 'no_record' ? answers.get(request.requestId) : undefined;
    return {
      provider: request.provider,
      department: departmentOf(request.provider),
      status: request.status,
      ...(request.respondedAt ? { respondedAt: shanghaiIso(request.respondedAt) } : {}),
      records: answer?.records ?? [],
      notFound: answer?.notFound ?? [],
      ...(request.reason ? { reason: request.reason } : {}),
      ...(request.late ? { late: true } : {}),
      ...(answer?.keyId ? { signature: { keyId: answer.keyId } } : {}),
    };
  });
}
