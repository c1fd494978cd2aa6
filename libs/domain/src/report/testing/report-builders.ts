/**
 * Builders for report specs: a policy like domain.md section 6's example, department records, and
 * a ReportInput whose sources are the core providers plus two banks, each answering with the
 * records that carry its provider id unless a status says otherwise. Test support only.
 */
import { makeIdentityNumber } from '../../identity-number';
import type { PolicyVersion } from '../../policy';
import { departmentOf } from '../../providers';
import type {
  BankHoldingRecord,
  BankInterestRecord,
  DepartmentRecord,
  FundAccountRecord,
  FundContributionRecord,
  IncomeRecord,
  PersonRecord,
  PropertyRecord,
  TaxItem,
  VehicleRecord,
} from '../../records';
import type { Declaration, HouseholdMember, Relation } from '../../verification-request';
import type { ReportInput, SourceAnswer, SourceStatus } from '../report.types';

export const ASOF = '2026-11-01'; // lookback 2025-11 … 2026-10
export const PROVIDERS = ['public-security', 'tax', 'housing', 'provident-fund', 'bank:ICBC', 'bank:CCB'] as const;

export function examplePolicy(overrides: Partial<PolicyVersion> = {}): PolicyVersion {
  return {
    id: 'policy-500115-dibao-2',
    version: 2,
    regionCode: '500115',
    program: 'dibao',
    effectiveFrom: '2026-01-01',
    standardMonthly: { urban: 78000, rural: 62000 },
    incomeLookbackMonths: 12,
    financialAssetsMonthsLimit: 24,
    maxCountedVehicles: 0,
    exemptVehicleTypes: ['motorcycle', 'tricycle', 'disability'],
    maxResidentialProperties: 1,
    maxNonResidentialProperties: 0,
    employmentDeductionMonthly: 0,
    discrepancyTolerance: { absolute: 10000, relative: 0.1 },
    ...overrides,
  };
}

/** A valid identity number per sequence (odd: male). */
export function idOf(sequence: number, birthDate = '1980-05-01'): string {
  return makeIdentityNumber('500115', birthDate, sequence);
}

export function member(sequence: number, name: string, relation: Relation, birthDate?: string): HouseholdMember {
  return { idNumber: idOf(sequence, birthDate), name, relation };
}

let nextId = 1;
function rid(prefix: string): string {
  return `${prefix}-${String(nextId++).padStart(5, '0')}`;
}

export function person(m: HouseholdMember, opts: Partial<Pick<PersonRecord, 'name' | 'hukouType' | 'status' | 'deathDate'>> = {}): PersonRecord {
  return {
    kind: 'person',
    provider: 'public-security',
    recordId: rid('P'),
    idNumber: m.idNumber,
    name: opts.name ?? m.name,
    sex: 'M',
    birthDate: '1980-05-01',
    hukouType: opts.hukouType ?? 'urban',
    hukouRegionCode: '500115',
    householdNumber: 'H0001',
    status: opts.status ?? 'active',
    ...(opts.deathDate ? { deathDate: opts.deathDate } : {}),
  };
}

export function income(m: HouseholdMember, period: string, item: TaxItem, incomeFen: number, taxFen = 0): IncomeRecord {
  return { kind: 'income', provider: 'tax', recordId: rid('T'), idNumber: m.idNumber, period, item, incomeFen, taxFen, withholder: '重庆某某有限公司' };
}

export function contribution(m: HouseholdMember, period: string, baseFen: number, employeeFen: number): FundContributionRecord {
  return { kind: 'fund_contribution', provider: 'provident-fund', recordId: rid('C'), idNumber: m.idNumber, period, baseFen, employeeFen, employerFen: employeeFen };
}

export function fundAccount(m: HouseholdMember, balanceFen: number): FundAccountRecord {
  return {
    kind: 'fund_account',
    provider: 'provident-fund',
    recordId: rid('F'),
    idNumber: m.idNumber,
    accountNo: rid('GJJ'),
    status: 'active',
    employer: '重庆某某有限公司',
    balanceFen,
    asOf: '2026-10-31',
  };
}

export function holding(bank: string, m: HouseholdMember, balanceFen: number, product: BankHoldingRecord['product'] = 'current'): BankHoldingRecord {
  return { kind: 'bank_holding', provider: bank, recordId: rid('H'), idNumber: m.idNumber, accountNo: rid('ACC'), product, balanceFen, asOf: '2026-10-31' };
}

export function interest(bank: string, m: HouseholdMember, period: string, interestFen: number): BankInterestRecord {
  return { kind: 'bank_interest', provider: bank, recordId: rid('I'), idNumber: m.idNumber, accountNo: rid('ACC'), period, interestFen };
}

export function vehicle(m: HouseholdMember, vehicleType: VehicleRecord['vehicleType'], status: VehicleRecord['status'] = 'normal', plate?: string): VehicleRecord {
  return {
    kind: 'vehicle',
    provider: 'public-security',
    recordId: rid('V'),
    idNumber: m.idNumber,
    plate: plate ?? `渝A${rid('').slice(1)}`,
    vehicleType,
    brand: '长安',
    firstRegistrationDate: '2019-03-02',
    useType: 'private',
    status,
  };
}

export function property(
  m: HouseholdMember,
  use: PropertyRecord['use'],
  floorAreaCentiM2: number,
  shareBasisPoints: number,
  opts: { status?: PropertyRecord['status']; certificateNo?: string } = {},
): PropertyRecord {
  return {
    kind: 'property',
    provider: 'housing',
    recordId: rid('R'),
    idNumber: m.idNumber,
    certificateNo: opts.certificateNo ?? `渝(2020)长寿区不动产权第${rid('').slice(1)}号`,
    address: '重庆市长寿区某路1号',
    use,
    floorAreaCentiM2,
    shareBasisPoints,
    registeredAt: '2020-06-01',
    status: opts.status ?? 'registered',
  };
}

export interface HouseholdSpec {
  members: HouseholdMember[];
  records: DepartmentRecord[];
  /** Status per provider (default: answered, or no_record when it has no records). */
  statuses?: Partial<Record<string, SourceStatus>>;
  declared?: Declaration;
  policy?: PolicyVersion;
  asOf?: string;
  providers?: readonly string[];
}

export function reportInput(spec: HouseholdSpec): ReportInput {
  const providers = spec.providers ?? PROVIDERS;
  const sources: SourceAnswer[] = providers.map((provider) => {
    const records = spec.records.filter((r) => r.provider === provider);
    const status = spec.statuses?.[provider] ?? (records.length > 0 ? 'answered' : 'no_record');
    const answered = status === 'answered' || status === 'no_record';
    return {
      provider,
      department: departmentOf(provider),
      status,
      ...(answered ? { respondedAt: '2026-11-01T10:00:00+08:00' } : {}),
      records: status === 'answered' ? records : [],
      notFound: [],
      ...(status === 'error' ? { reason: 'connection refused' } : {}),
      ...(status === 'not_queried' ? { reason: 'provider disabled' } : {}),
    };
  });
  return {
    verificationId: 'v-0001',
    reportNumber: 'HX-500115-2026-000001',
    version: 1,
    asOf: spec.asOf ?? ASOF,
    program: 'dibao',
    purpose: 'application',
    regionCode: '500115',
    members: spec.members,
    ...(spec.declared ? { declared: spec.declared } : {}),
    policy: spec.policy ?? examplePolicy(),
    sources,
    issuedAt: '2026-11-01T12:00:00+08:00',
  };
}
