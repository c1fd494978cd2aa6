/**
 * The household report (api.md "Report"): the input the aggregator hands the computation, and the
 * document it produces. Field names are the public API's.
 */
import type { DepartmentRecord } from '../records';
import type { PolicyVersion } from '../policy';
import type { Department } from '../providers';
import type { Declaration, HouseholdMember, Program, Purpose } from '../verification-request';

export type SourceStatus = 'answered' | 'no_record' | 'timeout' | 'error' | 'not_queried' | 'pending';

/** What one provider answered (or failed to) for this verification. */
export interface SourceAnswer {
  provider: string;
  department: Department;
  status: SourceStatus;
  /** ISO 8601 with offset; absent while pending or after a timeout. */
  respondedAt?: string;
  /** Records about the household's members (empty unless answered). */
  records: DepartmentRecord[];
  /** Identity numbers the provider holds nothing on. */
  notFound: string[];
  reason?: string;
  /** The answer arrived after the deadline (it is still recorded). */
  late?: boolean;
}

export interface ReportInput {
  verificationId: string;
  reportNumber: string;
  version: number;
  /** "YYYY-MM-DD" */
  asOf: string;
  program: Program;
  purpose: Purpose;
  regionCode: string;
  members: HouseholdMember[];
  declared?: Declaration;
  policy: PolicyVersion;
  sources: SourceAnswer[];
  /** ISO 8601 with offset */
  issuedAt: string;
}

export type TestOutcome = 'pass' | 'fail' | 'unknown';
export type Conclusion = 'within_limits' | 'exceeds_limits' | 'incomplete';

/** A pointer from a report figure to the department record behind it. */
export interface RecordRef {
  provider: string;
  recordId: string;
  kind: DepartmentRecord['kind'];
  period?: string;
  /** The amount this record contributed, in fen, where it contributed one. */
  amount?: number;
}

export interface Discrepancy {
  kind:
    | 'income_understated'
    | 'financial_assets_understated'
    | 'undeclared_vehicles'
    | 'undeclared_properties'
    | 'deceased_member'
    | 'identity_mismatch'
    | 'identity_not_found';
  category?: string;
  /** Masked identity number of the member concerned. */
  member?: string;
  declared?: number;
  verified?: number;
  tolerance?: number;
}

export interface ReportSource {
  department: Department;
  provider: string;
  status: SourceStatus;
  records: number;
  respondedAt: string | null;
  reason?: string;
  late?: boolean;
}
