/**
 * The four tests of domain.md section 5 and the conclusion. A test is `unknown` when a source it
 * needs did not answer (answered and no_record count as answered; timeout, error, not_queried and
 * pending do not), when it needs the standard and the household hukou type is unknown, or when it
 * is per person and no member is counted (n = 0).
 *
 * realEstate adds a third check when the policy sets the extension `maxResidentialAreaPerCapitaM2`
 * (housing assistance): residentialAreaPerCapitaM2 ≤ the limit, compared exactly in centi-m² on the
 * two-decimal figure. Per capita, so it is unknown when n = 0 (like the housing answer it needs).
 */
import { toBigInt, toSafeNumber } from '../money';
import { areaToCentiM2, type PolicyVersion } from '../policy';
import type { Department } from '../providers';
import { isAnsweredStatus, type ReportEvidence } from './report-evidence';
import type {
  Conclusion,
  HouseholdHukouType,
  ReportTestName,
  TestCheck,
  TestDetail,
  TestOutcome,
} from './report.types';

export const TEST_NEEDS: Readonly<Record<ReportTestName, readonly Department[]>> = {
  income: ['tax', 'provident-fund', 'bank'],
  financialAssets: ['bank'],
  vehicles: ['public-security'],
  realEstate: ['housing'],
};

/**
 * Needed sources that did not answer. Every source of a needed department must have answered (all
 * banks, not one); a needed department no source of which is in the input is missing as a whole.
 */
export function missingSources(needs: readonly Department[], evidence: ReportEvidence): string[] {
  const missing: string[] = [];
  for (const department of needs) {
    const sources = evidence.sourcesOf(department);
    if (sources.length === 0) missing.push(department);
    for (const source of sources) if (!isAnsweredStatus(source.status)) missing.push(source.provider);
  }
  return missing;
}

export interface TestFigures {
  hukouType: HouseholdHukouType;
  memberCount: number;
  monthlyPerCapita: number;
  financialTotal: number;
  countedVehicles: number;
  residentialProperties: number;
  nonResidentialProperties: number;
  /** m², two decimals (household-assets.ts). */
  residentialAreaPerCapitaM2: number;
}

export interface TestsResult {
  tests: Record<ReportTestName, TestOutcome>;
  testDetails: Record<ReportTestName, TestDetail>;
  appliedStandardMonthly: number | null;
  financialAssetsLimit: number | null;
}

function check(measure: string, value: number, limit: number | null, rule: 'lt' | 'le'): TestCheck {
  const passed = limit === null ? null : rule === 'lt' ? value < limit : value <= limit;
  return { measure, value, limit, rule, passed };
}

/**
 * The area rule's check, or null when the policy sets no area limit. The figure and the limit are
 * compared as whole centi-m², so 15.00 ≤ 15 passes and 15.01 fails whatever floating point does.
 */
function areaCheck(figures: TestFigures, policy: PolicyVersion): TestCheck | null {
  const limit = policy.maxResidentialAreaPerCapitaM2;
  if (limit === undefined || limit === null) return null;
  const limitCenti = areaToCentiM2(limit);
  if (limitCenti === null) throw new RangeError(`maxResidentialAreaPerCapitaM2 must be a number ≥ 0 with at most 2 decimals, got ${limit}`);
  const valueCenti = areaToCentiM2(figures.residentialAreaPerCapitaM2);
  if (valueCenti === null) throw new RangeError(`residentialAreaPerCapitaM2 must be ≥ 0 with at most 2 decimals, got ${figures.residentialAreaPerCapitaM2}`);
  const measure = 'residentialAreaPerCapitaM2';
  if (figures.memberCount === 0) return { measure, value: figures.residentialAreaPerCapitaM2, limit, rule: 'le', passed: null };
  return { measure, value: figures.residentialAreaPerCapitaM2, limit, rule: 'le', passed: valueCenti <= limitCenti };
}

function decide(needs: readonly Department[], checks: TestCheck[], evidence: ReportEvidence, blockers: string[]): TestDetail {
  const missing = missingSources(needs, evidence);
  const reasons = [...(missing.length > 0 ? [`no answer from ${missing.join(', ')}`] : []), ...blockers];
  let outcome: TestOutcome;
  if (reasons.length > 0 || checks.some((c) => c.passed === null)) outcome = 'unknown';
  else outcome = checks.every((c) => c.passed) ? 'pass' : 'fail';
  return {
    outcome,
    value: checks[0].value,
    limit: checks[0].limit,
    needs: [...needs],
    missing,
    checks,
    ...(outcome === 'unknown' ? { reason: reasons.join('; ') || 'a limit is unknown' } : {}),
  };
}

export function runTests(figures: TestFigures, policy: PolicyVersion, evidence: ReportEvidence): TestsResult {
  const n = figures.memberCount;
  const standard = figures.hukouType === 'unknown' ? null : policy.standardMonthly[figures.hukouType];
  const financialAssetsLimit =
    standard === null
      ? null
      : toSafeNumber(
          toBigInt(standard, 'standardMonthly') * toBigInt(policy.financialAssetsMonthsLimit, 'financialAssetsMonthsLimit') * BigInt(n),
          'financialAssetsLimit',
        );

  const area = areaCheck(figures, policy);

  const needsStandard: string[] = [];
  if (standard === null) needsStandard.push('household hukou type unknown');
  if (n === 0) needsStandard.push('no member counted (n = 0)');

  const testDetails: Record<ReportTestName, TestDetail> = {
    income: decide(
      TEST_NEEDS.income,
      [check('monthlyPerCapita', figures.monthlyPerCapita, standard, 'lt')],
      evidence,
      needsStandard,
    ),
    financialAssets: decide(
      TEST_NEEDS.financialAssets,
      [check('financialTotal', figures.financialTotal, financialAssetsLimit, 'le')],
      evidence,
      needsStandard,
    ),
    vehicles: decide(
      TEST_NEEDS.vehicles,
      [check('countedVehicles', figures.countedVehicles, policy.maxCountedVehicles, 'le')],
      evidence,
      [],
    ),
    realEstate: decide(
      TEST_NEEDS.realEstate,
      [
        check('residentialProperties', figures.residentialProperties, policy.maxResidentialProperties, 'le'),
        check('nonResidentialProperties', figures.nonResidentialProperties, policy.maxNonResidentialProperties, 'le'),
        ...(area ? [area] : []),
      ],
      evidence,
      area && n === 0 ? ['no member counted (n = 0): the area per capita is unknown'] : [],
    ),
  };
  return {
    tests: {
      income: testDetails.income.outcome,
      financialAssets: testDetails.financialAssets.outcome,
      vehicles: testDetails.vehicles.outcome,
      realEstate: testDetails.realEstate.outcome,
    },
    testDetails,
    appliedStandardMonthly: standard,
    financialAssetsLimit,
  };
}

/** exceeds_limits if any test fails; else incomplete if any is unknown; else within_limits. */
export function concludeFrom(outcomes: readonly TestOutcome[]): Conclusion {
  if (outcomes.includes('fail')) return 'exceeds_limits';
  if (outcomes.includes('unknown')) return 'incomplete';
  return 'within_limits';
}
