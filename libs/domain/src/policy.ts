/** Programme policy (domain.md section 6): data, versioned by region, programme and effective date. */
import { decimalFraction } from './money';
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
  /**
   * Monthly wage disregard per member, fen: where wage(m) > 0 it is subtracted, not below 0
   * (domain.md section 5). Regional "wages up to X disregarded" rules (Shanghai) are set here.
   */
  employmentDeductionMonthly: number;
  discrepancyTolerance: DiscrepancyTolerance;
  /**
   * Extension (housing assistance): the realEstate test also requires residentialAreaPerCapitaM2 ≤
   * this, in m² with at most two decimals (e.g. 15). Absent: no area rule.
   */
  maxResidentialAreaPerCapitaM2?: number;
}

/** A stored policy version: never edited in place; a change is a new version. */
export interface PolicyVersion extends PolicyRules {
  id: string;
  version: number;
}

export const DEFAULT_INCOME_LOOKBACK_MONTHS = 12;

/**
 * An area in m² as whole centi-m² (m² × 100), exactly as written (15.1 → 1510), or null when the
 * value is not a finite number ≥ 0 with at most two decimals.
 */
export function areaToCentiM2(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return null;
  const { numerator, denominator } = decimalFraction(value);
  const scaled = numerator * 100n;
  if (scaled % denominator !== 0n) return null;
  const centi = scaled / denominator;
  return centi <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(centi) : null;
}
