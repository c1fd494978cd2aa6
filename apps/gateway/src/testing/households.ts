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

/**
 * The household's authorizations are the same documents however often a test submits it on one day (the
 * gateway keeps one record per document reference and refuses the same reference with other details):
 * signed at 09:00 two days ago, valid for a year, both in Asia/Shanghai.
 */
export function authorizationTimes(now: Date = new Date()): { signedAt: string; expiresAt: string } {
  const today = Date.parse(`${todayInShanghai(now)}T00:00:00+08:00`);
  return {
    signedAt: new Date(today - 2 * DAY + 9 * 3600_000).toISOString(),
    expiresAt: new Date(today + 365 * DAY).toISOString(),
  };
}

export function validVerificationRequest(options: HouseholdOptions = {}) {
  const now = options.now ?? new Date();
  const { signedAt, expiresAt } = authorizationTimes(now);
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
