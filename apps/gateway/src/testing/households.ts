import { makeIdentityNumber, todayInShanghai } from '@verihub/domain';

/** A valid household of three (applicant, spouse, minor child) and their authorizations, for tests. */
export const APPLICANT_ID = makeIdentityNumber('500115', '1980-05-01', 11);
export const SPOUSE_ID = makeIdentityNumber('500115', '1982-03-04', 22);
export const CHILD_ID = makeIdentityNumber('500115', '2015-06-01', 33);

const DAY = 24 * 3600_000;

export function isoDaysFrom(now: Date, days: number): string {
  return new Date(now.getTime() + days * DAY).toISOString();
}

export interface HouseholdOptions {
  regionCode?: string;
  program?: string;
  now?: Date;
}

export function validVerificationRequest(options: HouseholdOptions = {}) {
  const now = options.now ?? new Date();
  const signedAt = isoDaysFrom(now, -2);
  const expiresAt = isoDaysFrom(now, 365);
  return {
    program: options.program ?? 'dibao',
    purpose: 'application',
    regionCode: options.regionCode ?? '500115',
    asOf: todayInShanghai(now),
    members: [
      { idNumber: APPLICANT_ID, name: '张三', relation: 'applicant' },
      { idNumber: SPOUSE_ID, name: '李四', relation: 'spouse' },
      { idNumber: CHILD_ID, name: '张小明', relation: 'child' },
    ],
    declared: {
      monthlyIncome: { wage: 300000, business: 0, property: 0, transfer: 50000 },
      financialAssets: 1000000,
      vehicles: 0,
      properties: 1,
    },
    authorizations: [
      { idNumber: APPLICANT_ID, signedBy: APPLICANT_ID, documentRef: 'AUTH-2026-000123', signedAt, expiresAt },
      { idNumber: SPOUSE_ID, signedBy: '李四', documentRef: 'AUTH-2026-000124', signedAt, expiresAt },
      { idNumber: CHILD_ID, signedBy: APPLICANT_ID, documentRef: 'AUTH-2026-000125', signedAt, expiresAt },
    ],
  };
}

export function validPolicy(overrides: Record<string, unknown> = {}) {
  return {
    regionCode: '500115',
    program: 'dibao',
    effectiveFrom: '2020-01-01',
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
