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
import type { VerificationEntity } from '../entities/verification.entity';
import { VerificationUpdates } from '../messages/verification-updates';
import { ProviderAnswerRepository } from '../repositories/provider-answer.repository';
import { ProviderRequestRepository } from '../repositories/provider-request.repository';
import { type IssuedReport, ReportVersionRepository } from '../repositories/report-version.repository';
import { VerificationRepository } from '../repositories/verification.repository';
import { reportNumberFor, shanghaiIso } from '../rules/verification-rules';

/**
 * Issues the next version of a verification's report: the only place that computes a report. It reads
 * the current round's answers, computes the report (libs/domain), stores it as version N+1 with what
 * changed since N, and enqueues the VerificationUpdated — all in the caller's transaction, on a
 * verification the caller has locked.
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
    const sources = await this.sourcesOf(manager, verification);
    const version = verification.reportVersion + 1;
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
      sources,
      issuedAt: shanghaiIso(now),
    };
    const report = computeHouseholdReport(input);
    const previous = await this.reports.find(manager, verification.id, verification.reportVersion);
    const issued: Omit<IssuedReport, 'createdAt'> = {
      verificationId: verification.id,
      version,
      round: verification.currentRound,
      status,
      report,
      changeReason,
      changes: previous ? diffReports(previous.report, report) : null,
    };
    await this.reports.insert(manager, issued);
    await this.verifications.setIssued(manager, verification.id, status, version);
    verification.status = status;
    verification.reportVersion = version;
    await this.updates.enqueue(manager, verification.id);
    // The change reason is not logged: a re-check's reason is free text a reviewer wrote.
    this.logger.log(`verification ${verification.id}: report version ${version} issued (${status})`);
    return { ...issued, createdAt: now };
  }

  /** What each provider of the current round answered, as the computation reads it. */
  private async sourcesOf(manager: EntityManager, verification: VerificationEntity): Promise<SourceAnswer[]> {
    const requests = await this.requests.forRound(manager, verification.id, verification.currentRound);
    const answers = await this.answers.byRequestId(
      manager,
      requests.map((r) => r.requestId),
    );
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
}
