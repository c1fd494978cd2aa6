/** Programme policy (domain.md section 6): data, versioned by region, programme and effective date. */
import type { Program } from './verification-request';

export interface DiscrepancyTolerance {
  /** fen */
  absolute: number;
  /** fraction, e.g. 0.1 */
  relative: number;
}

export interface PolicyRules {
  regionCode: string;
  program: Program;
  /** "YYYY-MM-DD" */
  effectiveFrom: string;
  standardMonthly: { urban: number; rural: number };
  incomeLookbackMonths: number;
  financialAssetsMonthsLimit: number;
  maxCountedVehicles: number;
  exemptVehicleTypes: string[];
  maxResidentialProperties: number;
  maxNonResidentialProperties: number;
  employmentDeductionMonthly: number;
  discrepancyTolerance: DiscrepancyTolerance;
}

/** A stored policy version: never edited in place; a change is a new version. */
export interface PolicyVersion extends PolicyRules {
  id: string;
  version: number;
}

export const DEFAULT_INCOME_LOOKBACK_MONTHS = 12;
