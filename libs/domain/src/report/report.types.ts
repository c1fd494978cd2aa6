/**
 * The household report (api.md "Report"): the input the aggregator hands the computation, and the
 * document it produces. Field names are the public API's.
 */
import type { DepartmentRecord } from '../records';
import type { PolicyVersion } from '../policy';
import type { Department } from '../providers';
import type { Declaration, HouseholdMember, Program, Purpose, Relation } from '../verification-request';

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
  /** The provider's signature on its answer was verified with its registered key of this id. */
  signature?: { keyId: string };
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
  /** The answer's figures come from the department: its signature verified with the provider's key `keyId`. */
  signature?: { keyId: string; verified: true };
}

// ---------------------------------------------------------------------------------------------
// The report document (api.md "Report"; rules domain.md section 5). Every amount is integer fen.
// Full identity numbers appear only in `members`; everywhere else a member is named by the masked
// identity number (`member`) and, where a list is per member, the index into `members`.
// ---------------------------------------------------------------------------------------------

export type HukouType = 'urban' | 'rural';
/** 'unknown' when public security did not answer or does not know the applicant. */
export type HouseholdHukouType = HukouType | 'unknown';
/** 'unknown' when public security did not answer. */
export type IdentityStatus = 'verified' | 'mismatch' | 'not_found' | 'unknown';
export type VitalStatus = 'alive' | 'deceased' | 'unknown';
/** The income categories the hub verifies from department records (transfer is declared). */
export const VERIFIED_INCOME_CATEGORIES = ['wage', 'business', 'property'] as const;
export type VerifiedIncomeCategory = (typeof VERIFIED_INCOME_CATEGORIES)[number];
export const REPORT_TESTS = ['income', 'financialAssets', 'vehicles', 'realEstate'] as const;
export type ReportTestName = (typeof REPORT_TESTS)[number];

/** The policy version applied and the thresholds as this household's report uses them. */
export interface ReportPolicy {
  id: string;
  version: number;
  regionCode: string;
  program: Program;
  effectiveFrom: string;
  /** Both standards, as in the policy. */
  standardMonthly: { urban: number; rural: number };
  /** The standard for the household's hukou type; null when that type is unknown. */
  appliedStandardMonthly: number | null;
  financialAssetsMonthsLimit: number;
  /** appliedStandardMonthly × financialAssetsMonthsLimit × memberCount; null when the standard is unknown. */
  financialAssetsLimit: number | null;
  maxCountedVehicles: number;
  exemptVehicleTypes: string[];
  maxResidentialProperties: number;
  maxNonResidentialProperties: number;
  /** Extension (housing assistance), m²: present only when the policy sets it; realEstate then checks the area per capita. */
  maxResidentialAreaPerCapitaM2?: number;
  employmentDeductionMonthly: number;
  incomeLookbackMonths: number;
  discrepancyTolerance: { absolute: number; relative: number };
}

export interface ReportLookback {
  /** "YYYY-MM", first month counted */
  from: string;
  /** "YYYY-MM", last month counted */
  to: string;
  months: number;
}

export interface ReportHousehold {
  /** n: requested members less those public security reports deceased. */
  memberCount: number;
  requestedMemberCount: number;
  hukouType: HouseholdHukouType;
}

export interface MemberIncome {
  wage: number;
  business: number;
  property: number;
}

export interface ReportMember {
  /** Full identity number (served to authorised staff only). */
  idNumber: string;
  name: string;
  relation: Relation;
  identity: IdentityStatus;
  vitalStatus: VitalStatus;
  /** Counted in n (and its records in the figures): everyone but the deceased. */
  counted: boolean;
  hukouType?: HukouType;
  /** The name public security registers, when it differs from the requested one (identity 'mismatch'). */
  registeredName?: string;
  deathDate?: string;
  /** This member's monthly average per category (lookback sum / L, rounded half away from zero). */
  income: MemberIncome;
  /** Lookback months whose wage was estimated from the provident-fund contribution base. */
  estimatedMonths: string[];
}

/** Household sums for one lookback month (after the employment deduction), for charts. */
export interface IncomeMonth {
  month: string;
  wage: number;
  business: number;
  property: number;
  /** The declared monthly transfer income. */
  transfer: number;
  total: number;
  /** Some member's wage this month is estimated from the provident fund. */
  estimated: boolean;
}

/** Traceability: the records behind one member's lookback sum of one category. */
export interface IncomeTrace {
  memberIndex: number;
  /** Masked identity number. */
  member: string;
  category: VerifiedIncomeCategory;
  /** The member's lookback sum for the category: Σ records[].amount − employmentDeduction. */
  sum: number;
  /** Total employment deduction subtracted over the lookback (wage only, else 0). */
  employmentDeduction: number;
  records: RecordRef[];
}

export interface EstimatedMonths {
  memberIndex: number;
  member: string;
  months: string[];
}

export interface ReportIncome {
  monthlyTotal: number;
  monthlyPerCapita: number;
  byCategory: { wage: number; business: number; property: number; transfer: number };
  /** Lookback sums S_c (exact, before division): byCategory[c] = roundHalfUp(S_c / L). */
  lookbackSums: { wage: number; business: number; property: number; transfer: number; total: number };
  /** Transfer income is declared by the household and not verified by any provider. */
  transferUnverified: boolean;
  months: IncomeMonth[];
  sources: IncomeTrace[];
  estimatedMonths: EstimatedMonths[];
}

export interface BankHolding {
  memberIndex: number;
  member: string;
  accountNo: string;
  product: 'current' | 'time' | 'wealth' | 'fund' | 'securities';
  balanceFen: number;
  asOf: string;
  recordId: string;
}

/** One bank's part of the financial total. */
export interface BankAccounts {
  provider: string;
  status: SourceStatus;
  total: number;
  holdings: BankHolding[];
}

export interface FundAccount {
  memberIndex: number;
  member: string;
  provider: string;
  recordId: string;
  accountNo: string;
  status: 'active' | 'sealed' | 'closed';
  balanceFen: number;
  asOf: string;
}

export interface ReportVehicle {
  plate: string;
  vehicleType: string;
  status: 'normal';
  memberIndex: number;
  member: string;
  /** Counts towards the vehicles test (its type is not exempt). */
  counted: boolean;
  exempt: boolean;
  provider: string;
  recordId: string;
}

export interface ReportProperty {
  certificateNo: string;
  address: string;
  use: 'residential' | 'commercial' | 'industrial' | 'other';
  residential: boolean;
  floorAreaM2: number;
  sharePercent: number;
  registeredAt: string;
  memberIndex: number;
  member: string;
  provider: string;
  recordId: string;
}

export interface ReportAssets {
  /** Σ balance of every bank holding of counted members, all banks. */
  financialTotal: number;
  accounts: BankAccounts[];
  /** Σ provident-fund account balances of counted members: reported, not counted. */
  providentFundBalance: number;
  providentFundAccounts: FundAccount[];
  /** Every vehicle with status normal. */
  vehicles: ReportVehicle[];
  countedVehicles: number;
  /** Registered residential properties (distinct certificates). */
  residentialProperties: number;
  /** Registered non-residential properties (distinct certificates). */
  nonResidentialProperties: number;
  /** Every registered property record of a counted member. */
  properties: ReportProperty[];
  /** Σ(floor area × share) of registered residential records / n, m², two decimals half-up. */
  residentialAreaPerCapitaM2: number;
}

/** One comparison a test makes: value against limit. */
export interface TestCheck {
  measure: string;
  value: number;
  limit: number | null;
  /** 'lt': value < limit passes; 'le': value ≤ limit passes. */
  rule: 'lt' | 'le';
  passed: boolean | null;
}

export interface TestDetail {
  outcome: TestOutcome;
  /**
   * The primary check's value and limit (the only check except for realEstate, which checks
   * residentialProperties, nonResidentialProperties and, when the policy sets an area limit,
   * residentialAreaPerCapitaM2).
   */
  value: number;
  limit: number | null;
  /** Departments the test needs an answer from. */
  needs: Department[];
  /** Needed providers that did not answer (or a department no provider of which was in the input). */
  missing: string[];
  checks: TestCheck[];
  /** Why the outcome is unknown, in words. */
  reason?: string;
}

export type ReportNoteCode =
  | 'transfer_unverified'
  | 'estimated_from_provident_fund'
  | 'no_counted_members'
  | 'hukou_unknown'
  | 'identity_unverified'
  | 'sources_missing'
  | 'late_answers'
  | 'provident_fund_not_counted'
  | 'exempt_vehicles';

export interface ReportNote {
  code: ReportNoteCode;
  message: string;
}

export interface HouseholdReport {
  reportNumber: string;
  verificationId: string;
  version: number;
  asOf: string;
  issuedAt: string;
  program: Program;
  purpose: Purpose;
  regionCode: string;
  policy: ReportPolicy;
  lookback: ReportLookback;
  household: ReportHousehold;
  members: ReportMember[];
  income: ReportIncome;
  assets: ReportAssets;
  tests: Record<ReportTestName, TestOutcome>;
  testDetails: Record<ReportTestName, TestDetail>;
  conclusion: Conclusion;
  discrepancies: Discrepancy[];
  sources: ReportSource[];
  notes: ReportNote[];
}
