/**
 * What the household declared differently from what the departments hold (domain.md section 5,
 * "Discrepancies").
 *
 * Tolerance t(v) = max(absolute, relative × v). The relative part is computed exactly (the decimal
 * the policy states, as a fraction) and reported rounded down to the fen: for an integer difference
 * d, d > max(a, x) exactly when d > max(a, floor(x)), so the integer reported is the tolerance the
 * comparison applies, with no floating point anywhere.
 */
import { decimalFraction, floorDivBig, toBigInt, toSafeNumber } from '../money';
import type { DiscrepancyTolerance } from '../policy';
import type { Declaration } from '../verification-request';
import type { AssessedMember } from './household-members';
import { VERIFIED_INCOME_CATEGORIES, type Discrepancy, type ReportIncome } from './report.types';

/** t(v) = max(absolute, relative × v) in whole fen (the relative part rounded down; see above). */
export function tolerance(value: number, tol: DiscrepancyTolerance): number {
  const relative = decimalFraction(tol.relative);
  const relativePart = floorDivBig(toBigInt(value, 'value') * relative.numerator, relative.denominator);
  const absolute = toBigInt(tol.absolute, 'tolerance.absolute');
  return toSafeNumber(absolute > relativePart ? absolute : relativePart, 'tolerance');
}

/** verified − declared > t(verified): the household declared less than the departments hold, beyond tolerance. */
export function isUnderstated(verified: number, declared: number, tol: DiscrepancyTolerance): boolean {
  return toBigInt(verified, 'verified') - toBigInt(declared, 'declared') > BigInt(tolerance(verified, tol));
}

export interface DiscrepancyFigures {
  income: Pick<ReportIncome, 'byCategory'>;
  financialTotal: number;
  /** Every vehicle with status normal, counted or exempt. */
  normalVehicles: number;
  /** Registered properties, residential and non-residential. */
  registeredProperties: number;
}

/**
 * Figure discrepancies only when the request carries `declared` (a missing income category is 0; a
 * missing asset field is not compared). Member discrepancies (deceased, identity) are always
 * listed: the member list is itself what the household declared.
 */
export function findDiscrepancies(
  declared: Declaration | undefined,
  figures: DiscrepancyFigures,
  members: readonly AssessedMember[],
  tol: DiscrepancyTolerance,
): Discrepancy[] {
  const found: Discrepancy[] = [];
  if (declared) {
    for (const category of VERIFIED_INCOME_CATEGORIES) {
      const verified = figures.income.byCategory[category];
      const declaredValue = declared.monthlyIncome?.[category] ?? 0;
      if (isUnderstated(verified, declaredValue, tol)) {
        found.push({ kind: 'income_understated', category, declared: declaredValue, verified, tolerance: tolerance(verified, tol) });
      }
    }
    if (declared.financialAssets !== undefined && isUnderstated(figures.financialTotal, declared.financialAssets, tol)) {
      found.push({
        kind: 'financial_assets_understated',
        declared: declared.financialAssets,
        verified: figures.financialTotal,
        tolerance: tolerance(figures.financialTotal, tol),
      });
    }
    if (declared.vehicles !== undefined && figures.normalVehicles > declared.vehicles) {
      found.push({ kind: 'undeclared_vehicles', declared: declared.vehicles, verified: figures.normalVehicles });
    }
    if (declared.properties !== undefined && figures.registeredProperties > declared.properties) {
      found.push({ kind: 'undeclared_properties', declared: declared.properties, verified: figures.registeredProperties });
    }
  }
  for (const member of members) {
    if (member.vitalStatus === 'deceased') found.push({ kind: 'deceased_member', member: member.masked });
    if (member.identity === 'mismatch') found.push({ kind: 'identity_mismatch', member: member.masked });
    if (member.identity === 'not_found') found.push({ kind: 'identity_not_found', member: member.masked });
  }
  return found;
}
