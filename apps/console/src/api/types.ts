/** Shapes of the public API's answers (api.md; the gateway's OpenAPI document at /api/docs-json). */
import type { HouseholdReport } from '@verihub/domain/report/report.types';
import type { Role } from '../auth/session';

export type { HouseholdReport };
export type VerificationStatus = 'pending' | 'complete' | 'partial';
export type ReviewState = 'unsigned' | 'signed' | 'objection_open';
export type Conclusion = 'within_limits' | 'exceeds_limits' | 'incomplete';

export interface MaskedPerson {
  idNumber: string;
  name: string;
}

export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface TokenAnswer {
  accessToken: string;
  expiresIn: number;
  user: { username: string; role: Role; regionCode: string };
}

export interface VerificationSummary {
  id: string;
  status: VerificationStatus;
  program: string;
  purpose: string;
  regionCode: string;
  asOf: string;
  applicant: MaskedPerson | null;
  memberCount: number;
  createdAt: string;
  updatedAt: string;
  reportVersion: number;
  conclusion: Conclusion | null;
  reviewState: ReviewState;
}

export interface SourceState {
  department: string;
  provider: string;
  status: string;
  records: number;
  respondedAt: string | null;
  reason?: string;
  late?: boolean;
}

export interface ReportReview {
  signedBy: string;
  signedAt: string;
  comment: string | null;
}

export type ReportDocument = HouseholdReport & { review?: ReportReview | null };

export interface VerificationDetail {
  id: string;
  status: VerificationStatus;
  createdAt: string;
  updatedAt: string;
  program: string;
  purpose: string;
  regionCode: string;
  asOf: string;
  policy: { id: string; version: number };
  members: (MaskedPerson & { relation: string })[];
  sources: SourceState[];
  reportVersion: number;
  reviewState: ReviewState;
  report?: ReportDocument;
}

export interface ReportVersion {
  version: number;
  createdAt: string;
  changeReason: string;
  changes: { path: string; from: unknown; to: unknown }[] | null;
}

export interface Objection {
  id: string;
  version: number;
  reason: string;
  raisedBy: string | null;
  receivedAt: string;
  periodLastDay: string;
  recordedBy: string;
  state: 'rechecking' | 'answered';
  answeredByVersion: number | null;
}

export interface ReviewQueueItem {
  id: string;
  program: string;
  purpose: string;
  regionCode: string;
  applicant: MaskedPerson | null;
  status: VerificationStatus;
  version: number;
  conclusion: Conclusion | null;
  issuedAt: string;
  changeReason: string;
}

export interface AuditEntry {
  sequence: number;
  eventId: string;
  occurredAt: string;
  sourceService: string;
  actor: { username: string; role: string; regionCode: string | null };
  action: string;
  case: { verificationId: string | null; program: string | null; purpose: string | null; regionCode: string | null; authorizationRefs: string[] };
  subjects: string[];
  provider: string | null;
  dataCategories: string[];
  outcome: { status: string | null; recordCount: number | null };
  latencyMs: number | null;
  entryHash: string;
}

export interface AnomalyFlag {
  rule: string;
  description: string;
  window: { from: string; to: string };
  actor: { username: string; role: string; regionCode: string | null };
  count: number;
  threshold: number;
  entrySequences: number[];
  subjectMasked?: string;
  verificationId?: string;
}

export interface AnomalyReport {
  from: string;
  to: string;
  thresholds: Record<string, unknown>;
  flags: AnomalyFlag[];
}

export interface ChainStatus {
  ok: boolean;
  count: number;
  lastSequence?: number | null;
  headHash?: string;
  firstBrokenSequence?: number;
  reason?: string;
}

export interface UserView {
  username: string;
  role: Role;
  regionCode: string;
  provider?: string;
  active: boolean;
  lockedUntil?: string | null;
  createdAt: string;
}

export interface PolicyView {
  id: string;
  version: number;
  regionCode: string;
  program: string;
  effectiveFrom: string;
  standardMonthly: { urban: number; rural: number };
  incomeLookbackMonths: number;
  financialAssetsMonthsLimit: number;
  maxCountedVehicles: number;
  exemptVehicleTypes: string[];
  maxResidentialProperties: number;
  maxNonResidentialProperties: number;
  employmentDeductionMonthly: number;
  discrepancyTolerance: { absolute: number; relative: number };
  maxResidentialAreaPerCapitaM2?: number;
  createdAt: string;
  createdBy: string;
}

export interface ProviderHealth {
  provider: string;
  answeredLastHour: number;
  failedLastHour: number;
  timedOutLastHour: number;
  lastAnsweredAt: string | null;
  status: 'up' | 'silent';
}
