/**
 * The household report (api.md "Report") from the providers' answers, by the rules of domain.md
 * section 5. Pure and deterministic: the same input gives the same report whatever order the
 * sources and their records come in.
 *
 * Deliberate readings of section 5 (see also each module's header):
 * - Records count only from sources with status `answered`, and only for counted members
 *   (everyone public security does not report deceased), for income and assets alike.
 * - n = 0 (every member deceased): monthlyPerCapita and residentialAreaPerCapitaM2 are 0, the
 *   income and financialAssets tests are `unknown` (so the conclusion is at best `incomplete`),
 *   and so is realEstate when the policy sets an area-per-capita limit; a `no_counted_members`
 *   note says why.
 * - Properties count per distinct certificate; the area per capita sums every residential record
 *   with its share (co-owners' 50 % + 50 % make one flat).
 * - The per-member monthly averages are each rounded on their own and need not add up to the
 *   household figures, which are rounded once from the exact sums.
 */
import { lookbackFor, monthsOf } from '../periods';
import { DEFAULT_INCOME_LOOKBACK_MONTHS } from '../policy';
import { computeAssets } from './household-assets';
import { computeIncome } from './household-income';
import { assessHousehold, type HouseholdAssessment } from './household-members';
import { findDiscrepancies } from './discrepancies';
import { gatherEvidence, isAnsweredStatus, type ReportEvidence } from './report-evidence';
import { concludeFrom, runTests } from './threshold-tests';
import type { HouseholdReport, ReportInput, ReportMember, ReportNote, ReportSource } from './report.types';
import { REPORT_TESTS } from './report.types';

export function computeHouseholdReport(input: ReportInput): HouseholdReport {
  const { policy } = input;
  const lookback = lookbackFor(input.asOf, policy.incomeLookbackMonths ?? DEFAULT_INCOME_LOOKBACK_MONTHS);
  const months = monthsOf(lookback);
  const evidence = gatherEvidence(input.sources);
  const household = assessHousehold(input.members, evidence);
  const n = household.counted.length;

  const { income, byMember } = computeIncome(household.counted, evidence, months, policy.employmentDeductionMonthly, input.declared);
  const { assets, normalVehicles, registeredProperties } = computeAssets(household.counted, evidence, policy);
  const { tests, testDetails, appliedStandardMonthly, financialAssetsLimit } = runTests(
    {
      hukouType: household.hukouType,
      memberCount: n,
      monthlyPerCapita: income.monthlyPerCapita,
      financialTotal: assets.financialTotal,
      countedVehicles: assets.countedVehicles,
      residentialProperties: assets.residentialProperties,
      nonResidentialProperties: assets.nonResidentialProperties,
      residentialAreaPerCapitaM2: assets.residentialAreaPerCapitaM2,
    },
    policy,
    evidence,
  );

  const members: ReportMember[] = household.members.map((m) => {
    const memberIncome = byMember.get(m.index);
    return {
      idNumber: m.member.idNumber,
      name: m.member.name,
      relation: m.member.relation,
      identity: m.identity,
      vitalStatus: m.vitalStatus,
      counted: m.counted,
      ...(m.person ? { hukouType: m.person.hukouType } : {}),
      ...(m.identity === 'mismatch' && m.person ? { registeredName: m.person.name } : {}),
      ...(m.person?.deathDate ? { deathDate: m.person.deathDate } : {}),
      income: memberIncome?.average ?? { wage: 0, business: 0, property: 0 },
      estimatedMonths: memberIncome?.estimatedMonths ?? [],
    };
  });

  return {
    reportNumber: input.reportNumber,
    verificationId: input.verificationId,
    version: input.version,
    asOf: input.asOf,
    issuedAt: input.issuedAt,
    program: input.program,
    purpose: input.purpose,
    regionCode: input.regionCode,
    policy: {
      id: policy.id,
      version: policy.version,
      regionCode: policy.regionCode,
      program: policy.program,
      effectiveFrom: policy.effectiveFrom,
      standardMonthly: { urban: policy.standardMonthly.urban, rural: policy.standardMonthly.rural },
      appliedStandardMonthly,
      financialAssetsMonthsLimit: policy.financialAssetsMonthsLimit,
      financialAssetsLimit,
      maxCountedVehicles: policy.maxCountedVehicles,
      exemptVehicleTypes: [...policy.exemptVehicleTypes],
      maxResidentialProperties: policy.maxResidentialProperties,
      maxNonResidentialProperties: policy.maxNonResidentialProperties,
      ...(policy.maxResidentialAreaPerCapitaM2 !== undefined && policy.maxResidentialAreaPerCapitaM2 !== null
        ? { maxResidentialAreaPerCapitaM2: policy.maxResidentialAreaPerCapitaM2 }
        : {}),
      employmentDeductionMonthly: policy.employmentDeductionMonthly,
      incomeLookbackMonths: lookback.months,
      discrepancyTolerance: { absolute: policy.discrepancyTolerance.absolute, relative: policy.discrepancyTolerance.relative },
    },
    lookback: { from: lookback.from, to: lookback.to, months: lookback.months },
    household: { memberCount: n, requestedMemberCount: input.members.length, hukouType: household.hukouType },
    members,
    income,
    assets,
    tests,
    testDetails,
    conclusion: concludeFrom(REPORT_TESTS.map((t) => tests[t])),
    discrepancies: findDiscrepancies(
      input.declared,
      { income, financialTotal: assets.financialTotal, normalVehicles, registeredProperties },
      household.members,
      policy.discrepancyTolerance,
    ),
    sources: reportSources(evidence),
    notes: reportNotes(household, evidence, {
      areaLimit: testDetails.realEstate.checks.some((c) => c.measure === 'residentialAreaPerCapitaM2'),
      transfer: income.byCategory.transfer,
      transferUnverified: income.transferUnverified,
      estimatedMemberMonths: income.estimatedMonths.reduce((sum, e) => sum + e.months.length, 0),
      providentFundBalance: assets.providentFundBalance,
      exemptVehicles: assets.vehicles.filter((v) => v.exempt).length,
    }),
  };
}

/** One entry per source of the input, in report order (department, then provider id). */
export function reportSources(evidence: ReportEvidence): ReportSource[] {
  return evidence.sources.map((s) => ({
    department: s.department,
    provider: s.provider,
    status: s.status,
    records: s.records.length,
    respondedAt: s.respondedAt ?? null,
    ...(s.reason !== undefined ? { reason: s.reason } : {}),
    ...(s.late !== undefined ? { late: s.late } : {}),
    ...(s.signature ? { signature: { keyId: s.signature.keyId, verified: true as const } } : {}),
  }));
}

interface NoteFigures {
  /** The policy's area-per-capita limit applies (realEstate is per capita too). */
  areaLimit: boolean;
  transfer: number;
  transferUnverified: boolean;
  estimatedMemberMonths: number;
  providentFundBalance: number;
  exemptVehicles: number;
}

/** Plain-language notes for the reader; no names or identity numbers. */
function reportNotes(household: HouseholdAssessment, evidence: ReportEvidence, figures: NoteFigures): ReportNote[] {
  const notes: ReportNote[] = [];
  if (figures.transferUnverified) {
    notes.push({
      code: 'transfer_unverified',
      message: `Transfer income of ${figures.transfer} fen a month is declared by the household and unverified: no provider has confirmed it.`,
    });
  }
  if (figures.estimatedMemberMonths > 0) {
    notes.push({
      code: 'estimated_from_provident_fund',
      message: `${figures.estimatedMemberMonths} member-month(s) of wage are estimated from the provident-fund contribution base (base − employee contribution), as tax holds no wage record for them.`,
    });
  }
  if (household.counted.length === 0) {
    notes.push({
      code: 'no_counted_members',
      message: `No member is counted (public security reports every member deceased): per-capita figures are 0 and the income${figures.areaLimit ? ', financial-assets and real-estate' : ' and financial-assets'} tests are unknown.`,
    });
  }
  if (household.hukouType === 'unknown' && household.counted.length > 0) {
    notes.push({
      code: 'hukou_unknown',
      message: "The household hukou type (the applicant's) is unknown, so the standard does not apply: the income and financial-assets tests are unknown.",
    });
  }
  if (!household.publicSecurityAnswered) {
    notes.push({
      code: 'identity_unverified',
      message: 'Public security has not answered: identities and vital status are unverified, and every member is counted.',
    });
  }
  const missing = evidence.sources.filter((s) => !isAnsweredStatus(s.status)).map((s) => `${s.provider} (${s.status})`);
  if (missing.length > 0) {
    notes.push({ code: 'sources_missing', message: `No answer from: ${missing.join(', ')}.` });
  }
  const late = evidence.sources.filter((s) => s.late === true).map((s) => s.provider);
  if (late.length > 0) {
    notes.push({ code: 'late_answers', message: `Answered after the deadline and included in this version: ${late.join(', ')}.` });
  }
  if (figures.providentFundBalance > 0) {
    notes.push({
      code: 'provident_fund_not_counted',
      message: `Provident-fund balances (${figures.providentFundBalance} fen) are reported, not counted in financial assets.`,
    });
  }
  if (figures.exemptVehicles > 0) {
    notes.push({
      code: 'exempt_vehicles',
      message: `${figures.exemptVehicles} vehicle(s) of an exempt type are listed but not counted.`,
    });
  }
  return notes;
}
