import { maskIdentityNumber, maskName, type HouseholdMember } from '@verihub/domain';
import type { ReportVersionEntity } from '../database/report-version.entity';
import type { VerificationEntity } from '../database/verification.entity';
import type { ReviewState } from '../reviews/review-state';
import type { MaskedMemberView, MaskedPersonView, ReportVersionView, VerificationDetailView, VerificationSummaryView } from './verification.views';

function maskPerson(member: HouseholdMember): MaskedPersonView {
  return { idNumber: maskIdentityNumber(member.idNumber), name: maskName(member.name) };
}

function maskMember(member: HouseholdMember): MaskedMemberView {
  return { ...maskPerson(member), relation: member.relation };
}

export function toSummaryView(v: VerificationEntity, conclusion: string | null, reviewState: ReviewState): VerificationSummaryView {
  const applicant = v.members.find((m) => m.relation === 'applicant');
  return {
    id: v.id,
    status: v.status,
    program: v.program,
    purpose: v.purpose,
    regionCode: v.regionCode,
    asOf: v.asOf,
    applicant: applicant ? maskPerson(applicant) : null,
    memberCount: v.members.length,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
    reportVersion: v.reportVersion,
    conclusion,
    reviewState,
  };
}

export function toDetailView(v: VerificationEntity, reviewState: ReviewState, report?: Record<string, unknown>): VerificationDetailView {
  return {
    id: v.id,
    status: v.status,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
    program: v.program,
    purpose: v.purpose,
    regionCode: v.regionCode,
    asOf: v.asOf,
    policy: { id: v.policyId, version: v.policyVersion },
    members: v.members.map(maskMember),
    sources: v.sources,
    reportVersion: v.reportVersion,
    reviewState,
    ...(report ? { report } : {}),
  };
}

export function toReportVersionView(r: ReportVersionEntity): ReportVersionView {
  return { version: r.version, createdAt: r.createdAt.toISOString(), changeReason: r.changeReason, changes: r.changes };
}
