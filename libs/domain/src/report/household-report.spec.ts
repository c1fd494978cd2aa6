import { computeHouseholdReport } from './household-report';
import type { PolicyVersion } from '../policy';
import type { DepartmentRecord } from '../records';
import type { HouseholdMember } from '../verification-request';
import type { HouseholdReport } from './report.types';
import {
  contribution,
  examplePolicy,
  fundAccount,
  holding,
  income,
  interest,
  member,
  person,
  property,
  reportInput,
  vehicle,
  type HouseholdSpec,
} from './testing/report-builders';

const report = (spec: HouseholdSpec): HouseholdReport => computeHouseholdReport(reportInput(spec));
const months = (from: number, to: number, year = 2026) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${year}-${String(from + i).padStart(2, '0')}`);

/**
 * Household A, worked by hand (asOf 2026-11-01 → lookback 2025-11 … 2026-10, L = 12, n = 3, urban).
 *
 * 张三 (applicant) wage 2026-05…10: 250000 income, 0 tax, provident fund base 250000 employee 12500
 *    → wage(m) = 250000 − 12500 = 237500; 6 × 237500 = 1 425 000
 *    rent 2026-04: 120000 − 6000 = 114000; ICBC interest 2026-06: 4500; CCB interest 2026-09: 1
 *    → property = 118 501
 *    ignored (outside lookback): wage 2025-10 999999, contribution 2026-11, interest 2026-11
 * 李四 (spouse) no wage record; provident fund 2026-01…03 base 200000 employee 10000
 *    → estimated 190000 × 3 = 570 000 (months 2026-01, 02, 03)
 *    business 2026-05 +30000, 2026-06 −50001 → −20 001
 * 张小明 (child) nothing. Declared transfer 20000 a month → S_transfer = 240 000.
 *
 * S_wage = 1 995 000 → /12 = 166 250
 * S_business = −20 001 → /12 = −1666.75 → −1667
 * S_property = 118 501 → /12 = 9875.08 → 9875
 * S = 1 995 000 − 20 001 + 118 501 + 240 000 = 2 333 500
 * monthlyTotal = 2 333 500 / 12 = 194 458.33 → 194 458
 * monthlyPerCapita = 2 333 500 / 36 = 64 819.44 → 64 819  < 78 000 (urban) → income pass
 *
 * Assets: ICBC 张三 1 000 000 + CCB 张三 2 000 000 + ICBC 李四 500 000 = 3 500 000
 *    ≤ 78 000 × 24 × 3 = 5 616 000 → pass; provident fund balance 2 300 000 reported only.
 * Vehicles: 张三 motorcycle (normal, exempt), 李四 car scrapped (not listed) → 0 counted → pass.
 * Properties: one flat, certificate 0001, 89.50 m², 50 % 张三 + 50 % 李四 (one property);
 *    张三 shop cancelled (not counted) → residential 1 ≤ 1, non-residential 0 ≤ 0 → pass.
 *    area per capita = (8950 × 5000 + 8950 × 5000) / (10000 × 3) = 2983.33 centi-m² → 29.83 m²
 * Conclusion: within_limits.
 */
const zhang = member(11, '张三', 'applicant');
const li = member(22, '李四', 'spouse', '1982-03-04');
const child = member(33, '张小明', 'child', '2012-09-09');

function householdA(overrides: Partial<HouseholdSpec> = {}): HouseholdSpec {
  return {
    members: [zhang, li, child],
    records: [
      person(zhang, { hukouType: 'urban' }),
      person(li, { hukouType: 'rural' }),
      person(child),
      ...months(5, 10).flatMap((m) => [income(zhang, m, 'wage', 250000), contribution(zhang, m, 250000, 12500)]),
      income(zhang, '2025-10', 'wage', 999999),
      contribution(zhang, '2026-11', 250000, 12500),
      interest('bank:ICBC', zhang, '2026-11', 777),
      income(zhang, '2026-04', 'rent', 120000, 6000),
      interest('bank:ICBC', zhang, '2026-06', 4500),
      interest('bank:CCB', zhang, '2026-09', 1),
      ...months(1, 3).map((m) => contribution(li, m, 200000, 10000)),
      income(li, '2026-05', 'business', 30000),
      income(li, '2026-06', 'business', -50001),
      holding('bank:ICBC', zhang, 1_000_000),
      holding('bank:CCB', zhang, 2_000_000, 'time'),
      holding('bank:ICBC', li, 500_000, 'wealth'),
      fundAccount(zhang, 2_300_000),
      vehicle(zhang, 'motorcycle', 'normal', '渝A00001'),
      vehicle(li, 'car', 'scrapped', '渝A00002'),
      property(zhang, 'residential', 8950, 5000, { certificateNo: '渝(2020)长寿区不动产权第0001号' }),
      property(li, 'residential', 8950, 5000, { certificateNo: '渝(2020)长寿区不动产权第0001号' }),
      property(zhang, 'commercial', 3000, 10000, { status: 'cancelled' }),
    ],
    declared: { monthlyIncome: { wage: 166250, business: 0, property: 9875, transfer: 20000 }, financialAssets: 3_500_000, vehicles: 1, properties: 1 },
    ...overrides,
  };
}

describe('computeHouseholdReport — household A worked by hand', () => {
  const r = report(householdA());

  it('carries the request, policy and lookback', () => {
    expect(r).toMatchObject({
      reportNumber: 'HX-500115-2026-000001',
      verificationId: 'v-0001',
      version: 1,
      asOf: '2026-11-01',
      issuedAt: '2026-11-01T12:00:00+08:00',
      program: 'dibao',
      purpose: 'application',
      regionCode: '500115',
      lookback: { from: '2025-11', to: '2026-10', months: 12 },
      household: { memberCount: 3, requestedMemberCount: 3, hukouType: 'urban' },
    });
    expect(r.policy).toMatchObject({
      id: 'policy-500115-dibao-2',
      version: 2,
      standardMonthly: { urban: 78000, rural: 62000 },
      appliedStandardMonthly: 78000,
      financialAssetsLimit: 5_616_000,
      maxCountedVehicles: 0,
      maxResidentialProperties: 1,
      maxNonResidentialProperties: 0,
      employmentDeductionMonthly: 0,
      incomeLookbackMonths: 12,
    });
  });

  it('computes income by category, total and per capita', () => {
    expect(r.income.lookbackSums).toEqual({ wage: 1_995_000, business: -20_001, property: 118_501, transfer: 240_000, total: 2_333_500 });
    expect(r.income.byCategory).toEqual({ wage: 166_250, business: -1667, property: 9875, transfer: 20000 });
    expect(r.income.monthlyTotal).toBe(194_458);
    expect(r.income.monthlyPerCapita).toBe(64_819);
    expect(r.income.transferUnverified).toBe(true);
    expect(r.notes.map((n) => n.code)).toContain('transfer_unverified');
  });

  it('gives each member their monthly averages, hukou type and estimated months', () => {
    expect(r.members.map((m) => [m.relation, m.identity, m.vitalStatus, m.counted, m.hukouType, m.income, m.estimatedMonths])).toEqual([
      ['applicant', 'verified', 'alive', true, 'urban', { wage: 118_750, business: 0, property: 9875 }, []], // 1 425 000/12; 118 501/12
      ['spouse', 'verified', 'alive', true, 'rural', { wage: 47_500, business: -1667, property: 0 }, ['2026-01', '2026-02', '2026-03']],
      ['child', 'verified', 'alive', true, 'urban', { wage: 0, business: 0, property: 0 }, []],
    ]);
    expect(r.members[0].idNumber).toBe(zhang.idNumber);
    expect(r.income.estimatedMonths).toEqual([{ memberIndex: 1, member: '500115********' + li.idNumber.slice(-4), months: ['2026-01', '2026-02', '2026-03'] }]);
  });

  it('charts household sums per lookback month', () => {
    expect(r.income.months).toHaveLength(12);
    expect(r.income.months[0]).toEqual({ month: '2025-11', wage: 0, business: 0, property: 0, transfer: 20000, total: 20000, estimated: false });
    expect(r.income.months.find((m) => m.month === '2026-02')).toMatchObject({ wage: 190000, estimated: true });
    // 2026-06: wage 237500, business −50001, property 4500 (ICBC interest), transfer 20000
    expect(r.income.months.find((m) => m.month === '2026-06')).toEqual({
      month: '2026-06', wage: 237500, business: -50001, property: 4500, transfer: 20000, total: 211999, estimated: false,
    });
    const sum = (c: 'wage' | 'business' | 'property') => r.income.months.reduce((s, m) => s + m[c], 0);
    expect([sum('wage'), sum('business'), sum('property')]).toEqual([1_995_000, -20_001, 118_501]);
  });

  it('traces every sum to its records, ignoring months outside the lookback', () => {
    const trace = (memberIndex: number, category: string) => r.income.sources.find((s) => s.memberIndex === memberIndex && s.category === category);
    const zhangWage = trace(0, 'wage')!;
    expect(zhangWage.sum).toBe(1_425_000);
    expect(zhangWage.records).toHaveLength(12); // 6 wage + 6 contributions; 2025-10 wage and 2026-11 contribution left out
    expect(zhangWage.records.reduce((s, x) => s + (x.amount ?? 0), 0) - zhangWage.employmentDeduction).toBe(1_425_000);
    expect(zhangWage.records.filter((x) => x.kind === 'fund_contribution').every((x) => x.amount === -12500)).toBe(true);
    expect(zhangWage.records.every((x) => x.period! >= '2025-11' && x.period! <= '2026-10')).toBe(true);
    const zhangProperty = trace(0, 'property')!;
    expect(zhangProperty.records.map((x) => [x.provider, x.kind, x.period, x.amount])).toEqual([
      ['tax', 'income', '2026-04', 114000],
      ['bank:ICBC', 'bank_interest', '2026-06', 4500],
      ['bank:CCB', 'bank_interest', '2026-09', 1],
    ]);
    const liWage = trace(1, 'wage')!;
    expect(liWage.records.map((x) => [x.kind, x.period, x.amount])).toEqual(
      months(1, 3).map((m) => ['fund_contribution', m, 190000]),
    );
    expect(trace(2, 'wage')).toBeUndefined();
  });

  it('computes assets: all banks, provident fund apart, exempt vehicle, shared flat', () => {
    expect(r.assets.financialTotal).toBe(3_500_000);
    expect(r.assets.accounts.map((a) => [a.provider, a.status, a.total, a.holdings.length])).toEqual([
      ['bank:CCB', 'answered', 2_000_000, 1],
      ['bank:ICBC', 'answered', 1_500_000, 2],
    ]);
    expect(r.assets.providentFundBalance).toBe(2_300_000);
    expect(r.assets.vehicles).toEqual([
      expect.objectContaining({ plate: '渝A00001', vehicleType: 'motorcycle', status: 'normal', counted: false, exempt: true, provider: 'public-security' }),
    ]);
    expect(r.assets.countedVehicles).toBe(0);
    expect(r.assets.residentialProperties).toBe(1);
    expect(r.assets.nonResidentialProperties).toBe(0);
    expect(r.assets.properties.map((p) => [p.memberIndex, p.floorAreaM2, p.sharePercent, p.residential])).toEqual([
      [0, 89.5, 50, true],
      [1, 89.5, 50, true],
    ]);
    expect(r.assets.residentialAreaPerCapitaM2).toBe(29.83);
  });

  it('passes every test and concludes within limits, with details', () => {
    expect(r.tests).toEqual({ income: 'pass', financialAssets: 'pass', vehicles: 'pass', realEstate: 'pass' });
    expect(r.conclusion).toBe('within_limits');
    expect(r.testDetails.income).toMatchObject({ outcome: 'pass', value: 64_819, limit: 78_000, needs: ['tax', 'provident-fund', 'bank'], missing: [] });
    expect(r.testDetails.financialAssets).toMatchObject({ value: 3_500_000, limit: 5_616_000 });
    expect(r.testDetails.realEstate.checks.map((c) => [c.measure, c.value, c.limit, c.passed])).toEqual([
      ['residentialProperties', 1, 1, true],
      ['nonResidentialProperties', 0, 0, true],
    ]);
  });

  it('finds no discrepancy when the declaration matches', () => {
    expect(r.discrepancies).toEqual([]);
  });

  it('lists every source in a stable order with its answer time', () => {
    expect(r.sources.map((s) => [s.department, s.provider, s.status])).toEqual([
      ['public-security', 'public-security', 'answered'],
      ['tax', 'tax', 'answered'],
      ['housing', 'housing', 'answered'],
      ['provident-fund', 'provident-fund', 'answered'],
      ['bank', 'bank:CCB', 'answered'],
      ['bank', 'bank:ICBC', 'answered'],
    ]);
    // tax: 6 wage + 1 wage outside the lookback + 1 rent + 2 business = 10 records answered
    expect(r.sources[1]).toEqual({ department: 'tax', provider: 'tax', status: 'answered', records: 10, respondedAt: '2026-11-01T10:00:00+08:00' });
  });
});

describe('rounding: half away from zero, once, at the end', () => {
  const one = member(11, '王五', 'applicant');
  const two = member(22, '赵六', 'spouse');
  const base = (records: HouseholdSpec['records'], members = [one]) => report({ members, records: [...members.map((m) => person(m)), ...records] });

  it.each([
    // description, records, expected byCategory subset, monthlyTotal, monthlyPerCapita
    ['wage 150006 / 12 = 12500.5 → 12501', [income(one, '2026-03', 'wage', 150006)], { wage: 12501 }, 12501, 12501],
    ['wage 150005 / 12 = 12500.42 → 12500', [income(one, '2026-03', 'wage', 150005)], { wage: 12500 }, 12500, 12500],
    ['business −150006 / 12 = −12500.5 → −12501 (away from zero)', [income(one, '2026-03', 'business', -150006)], { business: -12501 }, -12501, -12501],
    ['business −150005 / 12 = −12500.42 → −12500', [income(one, '2026-03', 'business', -150005)], { business: -12500 }, -12500, -12500],
    ['net of tax: (100006 − 100000) / 12 = 0.5 → 1', [income(one, '2026-03', 'rent', 100006, 100000)], { property: 1 }, 1, 1],
    [
      'categories rounded apart from the total: wage 6/12 → 1, property 6/12 → 1, total 12/12 = 1',
      [income(one, '2026-03', 'wage', 6), interest('bank:ICBC', one, '2026-04', 6)],
      { wage: 1, property: 1 },
      1,
      1,
    ],
  ])('%s', (_why, records, byCategory, monthlyTotal, monthlyPerCapita) => {
    const r = base(records);
    expect(r.income.byCategory).toMatchObject(byCategory);
    expect(r.income.monthlyTotal).toBe(monthlyTotal);
    expect(r.income.monthlyPerCapita).toBe(monthlyPerCapita);
  });

  it('per capita rounds S / (L × n): two members, S = 36 → 36 / 24 = 1.5 → 2; S = −36 → −2', () => {
    expect(base([income(one, '2026-03', 'wage', 36)], [one, two]).income.monthlyPerCapita).toBe(2);
    expect(base([income(one, '2026-03', 'business', -36)], [one, two]).income.monthlyPerCapita).toBe(-2);
    // S = 35 → 1.458 → 1
    expect(base([income(one, '2026-03', 'wage', 35)], [one, two]).income.monthlyPerCapita).toBe(1);
  });
});

describe('wage: provident fund and the employment deduction', () => {
  const w = member(11, '王五', 'applicant');
  /*
   * Deduction 50 000 a month, L = 12:
   *   2026-01 wage 120000, no contribution        → 120000 − 50000 = 70000
   *   2026-02 wage 30000                          → 30000 − min(50000, 30000) = 0 (not below 0)
   *   2026-03 contribution only, base 100000/5000 → 95000 estimated − 50000 = 45000
   *   2026-04 wage 10000, contribution 20000      → −10000 (not > 0: no deduction, stays −10000)
   *   2026-05 labor 40000 tax 2000 + wage 20000, contribution 3000 → 38000 + 20000 − 3000 = 55000 − 50000 = 5000
   *   sum = 70000 + 0 + 45000 − 10000 + 5000 = 110000 → /12 = 9166.67 → 9167
   *   deductions = 50000 + 30000 + 50000 + 0 + 50000 = 180000
   */
  const r = report({
    members: [w],
    policy: examplePolicy({ employmentDeductionMonthly: 50000 }),
    records: [
      person(w),
      income(w, '2026-01', 'wage', 120000),
      income(w, '2026-02', 'wage', 30000),
      contribution(w, '2026-03', 100000, 5000),
      income(w, '2026-04', 'wage', 10000),
      contribution(w, '2026-04', 200000, 20000),
      income(w, '2026-05', 'labor', 40000, 2000),
      income(w, '2026-05', 'wage', 20000),
      contribution(w, '2026-05', 60000, 3000),
    ],
  });

  it('applies the rule month by month', () => {
    const byMonth = Object.fromEntries(r.income.months.map((m) => [m.month, m.wage]));
    expect([byMonth['2026-01'], byMonth['2026-02'], byMonth['2026-03'], byMonth['2026-04'], byMonth['2026-05']]).toEqual([70000, 0, 45000, -10000, 5000]);
    expect(r.income.lookbackSums.wage).toBe(110000);
    expect(r.income.byCategory.wage).toBe(9167);
    expect(r.members[0].estimatedMonths).toEqual(['2026-03']);
    expect(r.notes.map((n) => n.code)).toContain('estimated_from_provident_fund');
  });

  it('traces the deduction so the records add up to the sum', () => {
    const t = r.income.sources.find((s) => s.category === 'wage')!;
    expect(t.employmentDeduction).toBe(180000);
    expect(t.records.reduce((s, x) => s + (x.amount ?? 0), 0) - t.employmentDeduction).toBe(t.sum);
  });

  it('a small actual wage replaces the provident-fund estimate, even when that lowers the month (the rule as written)', () => {
    // 2026-07 contribution only: 100000 − 5000 = 95000 estimated; add a wage record of 1000:
    // 1000 − 5000 = −4000 — the estimate is replaced, not added to.
    const estimated = report({ members: [w], records: [person(w), contribution(w, '2026-07', 100000, 5000)] });
    const actual = report({ members: [w], records: [person(w), contribution(w, '2026-07', 100000, 5000), income(w, '2026-07', 'wage', 1000)] });
    expect([estimated.income.lookbackSums.wage, actual.income.lookbackSums.wage]).toEqual([95000, -4000]);
    expect(actual.members[0].estimatedMonths).toEqual([]);
  });

  it('adds contributions from two employers in one month', () => {
    // base 100000/5000 + 80000/4000 → 95000 + 76000 = 171000 estimated
    const r2 = report({ members: [w], records: [person(w), contribution(w, '2026-07', 100000, 5000), contribution(w, '2026-07', 80000, 4000)] });
    expect(r2.income.lookbackSums.wage).toBe(171000);
    expect(r2.members[0].estimatedMonths).toEqual(['2026-07']);
  });
});

describe('lookback', () => {
  const w = member(11, '王五', 'applicant');
  it.each([
    // asOf, L, periods → which count
    ['2026-11-15', 12, ['2025-10', '2025-11', '2026-10', '2026-11'], 200], // 2025-11 and 2026-10 count: (100+100)
    ['2026-01-01', 12, ['2024-12', '2025-01', '2025-12', '2026-01'], 200], // lookback 2025-01 … 2025-12
    ['2026-07-31', 6, ['2025-12', '2026-01', '2026-06', '2026-07'], 200], // L = 6: 2026-01 … 2026-06
  ])('asOf %s, L %d: of %j only the lookback months count', (asOf, L, periods, expectedSum) => {
    const r = report({
      members: [w],
      asOf,
      policy: examplePolicy({ incomeLookbackMonths: L }),
      records: [person(w), ...periods.map((p) => income(w, p, 'wage', 100))],
    });
    expect(r.lookback.months).toBe(L);
    expect(r.income.lookbackSums.wage).toBe(expectedSum);
    expect(r.income.months.map((m) => m.month)[0]).toBe(r.lookback.from);
  });

  it('ignores bank interest and contributions outside the lookback too', () => {
    const r = report({
      members: [w],
      records: [person(w), interest('bank:ICBC', w, '2025-10', 999), contribution(w, '2026-11', 100000, 5000), interest('bank:ICBC', w, '2026-10', 1)],
    });
    expect(r.income.lookbackSums).toMatchObject({ wage: 0, property: 1 });
    expect(r.members[0].estimatedMonths).toEqual([]);
  });
});

describe('members counted', () => {
  const a = member(11, '王五', 'applicant');
  const dead = member(22, '赵六', 'spouse');

  /*
   * The spouse is reported deceased: n = 1. Their wage 1 200 000, bank holding 9 999 999, car and shop
   * do not count. 王五: wage 2026-01 60000 → S = 60000 → /12 = 5000 per capita.
   */
  const r = report({
    members: [a, dead],
    records: [
      person(a),
      person(dead, { status: 'deceased', deathDate: '2026-02-01' }),
      income(a, '2026-01', 'wage', 60000),
      income(dead, '2026-01', 'wage', 1_200_000),
      holding('bank:ICBC', dead, 9_999_999),
      vehicle(dead, 'car'),
      property(dead, 'commercial', 5000, 10000),
    ],
  });

  it('excludes the deceased from n and from every figure', () => {
    expect(r.household).toEqual({ memberCount: 1, requestedMemberCount: 2, hukouType: 'urban' });
    expect(r.members[1]).toMatchObject({ vitalStatus: 'deceased', counted: false, deathDate: '2026-02-01', income: { wage: 0, business: 0, property: 0 } });
    expect(r.income.monthlyPerCapita).toBe(5000);
    expect(r.assets).toMatchObject({ financialTotal: 0, countedVehicles: 0, nonResidentialProperties: 0, vehicles: [] });
    expect(r.policy.financialAssetsLimit).toBe(78000 * 24 * 1);
  });

  it('flags the deceased member (masked), with or without a declaration', () => {
    expect(r.discrepancies).toEqual([{ kind: 'deceased_member', member: expect.stringMatching(/^500115\*{8}\d{3}[\dX]$/) }]);
    expect(r.discrepancies[0].member).toBe(`500115********${dead.idNumber.slice(-4)}`);
  });

  it('with everyone deceased (n = 0): no division by zero, per capita 0, income and financial tests unknown', () => {
    const none = report({
      members: [a, dead],
      records: [person(a, { status: 'deceased' }), person(dead, { status: 'deceased' }), income(a, '2026-01', 'wage', 60000)],
      declared: { monthlyIncome: { transfer: 1200 } },
    });
    expect(none.household.memberCount).toBe(0);
    expect(none.income.monthlyTotal).toBe(1200); // declared transfer only: 1200 × 12 / 12
    expect(none.income.monthlyPerCapita).toBe(0);
    expect(none.assets.residentialAreaPerCapitaM2).toBe(0);
    expect(none.tests).toEqual({ income: 'unknown', financialAssets: 'unknown', vehicles: 'pass', realEstate: 'pass' });
    expect(none.testDetails.income.reason).toContain('n = 0');
    expect(none.conclusion).toBe('incomplete');
    expect(none.notes.map((n) => n.code)).toContain('no_counted_members');
  });

  it('takes the household hukou type from the applicant', () => {
    const rural = report({ members: [dead, a], records: [person(a, { hukouType: 'rural' }), person(dead, { hukouType: 'urban' })] });
    expect(rural.household.hukouType).toBe('rural');
    expect(rural.policy.appliedStandardMonthly).toBe(62000);
    expect(rural.testDetails.income.limit).toBe(62000);
  });

  it.each([
    ['public security does not know the applicant', { records: [person(dead)] }, 'not_found'],
    ['public security timed out', { records: [], statuses: { 'public-security': 'timeout' as const } }, 'unknown'],
  ])('hukou unknown when %s: income and financial tests unknown', (_why, spec, identity) => {
    const r2 = report({ members: [a, dead], ...spec });
    expect(r2.household.hukouType).toBe('unknown');
    expect(r2.members[0].identity).toBe(identity);
    expect(r2.policy.appliedStandardMonthly).toBeNull();
    expect(r2.policy.financialAssetsLimit).toBeNull();
    expect(r2.tests.income).toBe('unknown');
    expect(r2.tests.financialAssets).toBe('unknown');
    expect(r2.testDetails.income.reason).toContain('hukou type unknown');
    expect(r2.conclusion).toBe('incomplete');
  });

  it('with public security silent, identities and vital status are unknown and everyone counts', () => {
    const r2 = report({ members: [a, dead], records: [], statuses: { 'public-security': 'error' } });
    expect(r2.members.map((m) => [m.identity, m.vitalStatus, m.counted])).toEqual([
      ['unknown', 'unknown', true],
      ['unknown', 'unknown', true],
    ]);
    expect(r2.household.memberCount).toBe(2);
    expect(r2.discrepancies).toEqual([]);
    expect(r2.notes.map((n) => n.code)).toEqual(expect.arrayContaining(['identity_unverified', 'sources_missing', 'hukou_unknown']));
  });
});

describe('assets', () => {
  const a = member(11, '王五', 'applicant');
  const b = member(22, '赵六', 'spouse');

  it.each([
    // vehicles, counted, test
    [['motorcycle', 'tricycle', 'disability'] as const, 0, 'pass'],
    [['car'] as const, 1, 'fail'],
    [['truck', 'motorcycle'] as const, 1, 'fail'],
  ])('vehicles %j: %d counted → %s (max 0; exempt types listed, not counted)', (types, counted, outcome) => {
    const r = report({ members: [a], records: [person(a), ...types.map((t) => vehicle(a, t)), vehicle(a, 'car', 'cancelled')] });
    expect(r.assets.vehicles).toHaveLength(types.length);
    expect(r.assets.countedVehicles).toBe(counted);
    expect(r.tests.vehicles).toBe(outcome);
    if (outcome === 'fail') expect(r.conclusion).toBe('exceeds_limits');
  });

  /*
   * Two members, two residential certificates:
   *   120.25 m² × 33.33 % → 12025 × 3333 = 40 079 325;  60 m² × 100 % → 6000 × 10000 = 60 000 000
   *   Σ = 100 079 325 / (10000 × 2) = 5003.97 centi-m² → 5004 → 50.04 m²; 2 residential > 1 → fail
   */
  it('computes area per capita by ownership share, exactly', () => {
    const r = report({
      members: [a, b],
      records: [person(a), person(b), property(a, 'residential', 12025, 3333), property(b, 'residential', 6000, 10000)],
    });
    expect(r.assets.residentialAreaPerCapitaM2).toBe(50.04);
    expect(r.assets.residentialProperties).toBe(2);
    expect(r.tests.realEstate).toBe('fail');
    expect(r.testDetails.realEstate.checks[0]).toMatchObject({ value: 2, limit: 1, passed: false });
  });

  it('rounds the area half up: 1.01 m² × 50 % = 0.505 → 0.51', () => {
    const r = report({ members: [a], records: [person(a), property(a, 'residential', 101, 5000)] });
    expect(r.assets.residentialAreaPerCapitaM2).toBe(0.51);
  });

  it('counts a non-residential property against its own limit (max 0), and not in the residential area', () => {
    const r = report({ members: [a], records: [person(a), property(a, 'industrial', 10000, 10000), property(a, 'other', 500, 10000)] });
    expect(r.assets).toMatchObject({ residentialProperties: 0, nonResidentialProperties: 2, residentialAreaPerCapitaM2: 0 });
    expect(r.tests.realEstate).toBe('fail');
    expect(r.testDetails.realEstate.checks[1]).toMatchObject({ measure: 'nonResidentialProperties', value: 2, limit: 0, passed: false });
  });

  /* 78000 × 24 × 1 = 1 872 000: at the limit passes, one fen more fails. */
  it.each([
    [1_872_000, 'pass'],
    [1_872_001, 'fail'],
  ])('financial assets %d against a limit of 1 872 000 → %s', (total, outcome) => {
    const r = report({ members: [a], records: [person(a), holding('bank:ICBC', a, total - 1), holding('bank:CCB', a, 1)] });
    expect(r.assets.financialTotal).toBe(total);
    expect(r.tests.financialAssets).toBe(outcome);
  });

  it('income passes strictly below the standard: 78000 per capita fails, 77999 passes', () => {
    const at = report({ members: [a], records: [person(a), income(a, '2026-01', 'wage', 78000 * 12)] });
    const below = report({ members: [a], records: [person(a), income(a, '2026-01', 'wage', 77999 * 12)] });
    expect([at.tests.income, below.tests.income]).toEqual(['fail', 'pass']);
  });
});

/*
 * The policy extension maxResidentialAreaPerCapitaM2 (housing assistance): realEstate also checks
 * residentialAreaPerCapitaM2 ≤ limit, exactly on the two-decimal figure (centi-m²).
 *   one member, one flat of A m² at 100 %            → A per capita
 *   two members, 30.01 m² at 100 %: 3001 / 2 = 1500.5 → 1501 centi-m² → 15.01 (half up)
 *   three members, 89.50 m² at 50 % + 50 % (one flat) → 8950 × 10000 / 30000 = 2983.33 → 29.83
 */
describe('realEstate: the residential area per capita limit (policy extension)', () => {
  const a = member(11, '王五', 'applicant');
  const b = member(22, '赵六', 'spouse');
  const c = member(33, '王小六', 'child', '2012-09-09');
  const housingPolicy = (limit: number | undefined, overrides: Partial<PolicyVersion> = {}) =>
    examplePolicy({ program: 'housing', ...(limit !== undefined ? { maxResidentialAreaPerCapitaM2: limit } : {}), ...overrides });
  const flat = (m: HouseholdMember, centiM2: number, shareBp = 10000, certificateNo?: string) =>
    property(m, 'residential', centiM2, shareBp, certificateNo ? { certificateNo } : {});

  it.each<[string, number, number, 'pass' | 'fail', HouseholdMember[], (ms: HouseholdMember[]) => DepartmentRecord[]]>([
    ['exactly at the limit', 15, 15, 'pass', [a], ([x]) => [flat(x, 1500)]],
    ['one centi-m² over', 15.01, 15, 'fail', [a], ([x]) => [flat(x, 1501)]],
    ['one centi-m² under', 14.99, 15, 'pass', [a], ([x]) => [flat(x, 1499)]],
    ['half-up rounding crosses the limit (1500.5 → 15.01)', 15.01, 15, 'fail', [a, b], ([x]) => [flat(x, 3001)]],
    ['half-up rounding at a two-decimal limit', 15.01, 15.01, 'pass', [a, b], ([x]) => [flat(x, 3001)]],
    ['just under after rounding (1499.5 → 15.00)', 15, 15, 'pass', [a, b], ([x]) => [flat(x, 2999)]],
    ['shared flat of household A, at 29.83', 29.83, 29.83, 'pass', [a, b, c], ([x, y]) => [flat(x, 8950, 5000, 'CERT-1'), flat(y, 8950, 5000, 'CERT-1')]],
    ['shared flat of household A, limit 29.82', 29.83, 29.82, 'fail', [a, b, c], ([x, y]) => [flat(x, 8950, 5000, 'CERT-1'), flat(y, 8950, 5000, 'CERT-1')]],
    ['no residential property, limit 0', 0, 0, 'pass', [a], () => [property(a, 'residential', 9000, 10000, { status: 'cancelled' })]],
    ['any residential area, limit 0', 0.01, 0, 'fail', [a], ([x]) => [flat(x, 1)]],
    ['a limit whose × 100 is inexact in floating point (0.29 × 100 = 28.999…)', 0.29, 0.29, 'pass', [a], ([x]) => [flat(x, 29)]],
  ])('%s: %s m² per capita against a limit of %s → %s', (_, area, limit, outcome, members, records) => {
    const r = report({ members, records: [...members.map((m) => person(m)), ...records(members)], policy: housingPolicy(limit) });
    expect(r.assets.residentialAreaPerCapitaM2).toBe(area);
    expect(r.policy.maxResidentialAreaPerCapitaM2).toBe(limit);
    expect(r.testDetails.realEstate.checks).toEqual([
      expect.objectContaining({ measure: 'residentialProperties', passed: true }),
      expect.objectContaining({ measure: 'nonResidentialProperties', passed: true }),
      { measure: 'residentialAreaPerCapitaM2', value: area, limit, rule: 'le', passed: outcome === 'pass' },
    ]);
    expect(r.tests.realEstate).toBe(outcome);
    expect(r.conclusion).toBe(outcome === 'pass' ? 'within_limits' : 'exceeds_limits');
  });

  it('without the extension the test is the two counts only, and the policy section does not name an area limit', () => {
    const r = report({ members: [a], records: [person(a), flat(a, 100_000)], policy: housingPolicy(undefined) });
    expect(r.testDetails.realEstate.checks.map((x) => x.measure)).toEqual(['residentialProperties', 'nonResidentialProperties']);
    expect(r.tests.realEstate).toBe('pass');
    expect(r.policy).not.toHaveProperty('maxResidentialAreaPerCapitaM2');
  });

  it('fails on the area alone, and on the counts alone, whichever check fails', () => {
    const areaOnly = report({ members: [a], records: [person(a), flat(a, 2000)], policy: housingPolicy(15) });
    expect(areaOnly.testDetails.realEstate.checks.map((x) => x.passed)).toEqual([true, true, false]);
    expect(areaOnly.tests.realEstate).toBe('fail');
    expect(areaOnly.testDetails.realEstate).toMatchObject({ value: 1, limit: 1 }); // the primary check stays residentialProperties

    const countsOnly = report({ members: [a], records: [person(a), flat(a, 500), flat(a, 500)], policy: housingPolicy(15) });
    expect(countsOnly.testDetails.realEstate.checks.map((x) => x.passed)).toEqual([false, true, true]);
    expect(countsOnly.tests.realEstate).toBe('fail');
  });

  it('is unknown when housing did not answer', () => {
    const r = report({ members: [a], records: [person(a), flat(a, 2000)], statuses: { housing: 'timeout' }, policy: housingPolicy(15) });
    expect(r.tests.realEstate).toBe('unknown');
    expect(r.testDetails.realEstate).toMatchObject({ missing: ['housing'], reason: expect.stringContaining('housing') });
    expect(r.testDetails.realEstate.checks[2]).toMatchObject({ measure: 'residentialAreaPerCapitaM2', value: 0, limit: 15 });
    expect(r.conclusion).toBe('incomplete');
  });

  it('is unknown when no member is counted (n = 0), though the counts pass; without the extension it is not', () => {
    const spec: HouseholdSpec = { members: [a], records: [person(a, { status: 'deceased' }), flat(a, 9000)] };
    const withLimit = report({ ...spec, policy: housingPolicy(15) });
    expect(withLimit.household.memberCount).toBe(0);
    expect(withLimit.tests.realEstate).toBe('unknown');
    expect(withLimit.testDetails.realEstate.reason).toContain('n = 0');
    expect(withLimit.testDetails.realEstate.checks[2]).toEqual({ measure: 'residentialAreaPerCapitaM2', value: 0, limit: 15, rule: 'le', passed: null });
    expect(withLimit.notes.find((n) => n.code === 'no_counted_members')?.message).toContain('real-estate');
    expect(report({ ...spec, policy: housingPolicy(undefined) }).tests.realEstate).toBe('pass');
  });

  it.each([15.005, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses a limit that is not m² ≥ 0 with at most two decimals: %d', (limit) => {
    expect(() => report({ members: [a], records: [person(a)], policy: housingPolicy(limit) })).toThrow(/maxResidentialAreaPerCapitaM2/);
  });
});

describe('tests are unknown when a source they need did not answer', () => {
  const a = member(11, '王五', 'applicant');
  const base: HouseholdSpec = { members: [a], records: [person(a)] };

  it.each([
    ['tax', 'timeout', { income: 'unknown', financialAssets: 'pass', vehicles: 'pass', realEstate: 'pass' }],
    ['provident-fund', 'error', { income: 'unknown', financialAssets: 'pass', vehicles: 'pass', realEstate: 'pass' }],
    ['bank:CCB', 'timeout', { income: 'unknown', financialAssets: 'unknown', vehicles: 'pass', realEstate: 'pass' }],
    ['bank:ICBC', 'pending', { income: 'unknown', financialAssets: 'unknown', vehicles: 'pass', realEstate: 'pass' }],
    ['housing', 'not_queried', { income: 'pass', financialAssets: 'pass', vehicles: 'pass', realEstate: 'unknown' }],
    // public security silent: vehicles unknown, and the hukou type (hence the standard) too
    ['public-security', 'timeout', { income: 'unknown', financialAssets: 'unknown', vehicles: 'unknown', realEstate: 'pass' }],
  ] as const)('%s %s', (provider, status, tests) => {
    const r = report({ ...base, statuses: { [provider]: status } });
    expect(r.tests).toEqual(tests);
    expect(r.conclusion).toBe('incomplete');
    const unknown = Object.entries(r.testDetails).filter(([, d]) => d.outcome === 'unknown');
    expect(unknown.length).toBeGreaterThan(0);
    for (const [name, detail] of unknown) {
      if (name === 'income' || name === 'financialAssets') {
        if (provider === 'public-security') continue; // unknown because of the hukou type
      }
      expect(detail.missing).toEqual([provider]);
      expect(detail.reason).toContain(provider);
    }
    expect(r.sources.find((s) => s.provider === provider)).toMatchObject({ status, respondedAt: null, records: 0 });
  });

  it('counts no_record as answered', () => {
    const r = report(base);
    expect(r.sources.every((s) => s.provider === 'public-security' || s.status === 'no_record')).toBe(true);
    expect(r.conclusion).toBe('within_limits');
  });

  it('ignores records carried by a source that did not answer', () => {
    const input = reportInput({ members: [a], records: [person(a)], statuses: { 'bank:ICBC': 'timeout' } });
    input.sources.find((s) => s.provider === 'bank:ICBC')!.records = [holding('bank:ICBC', a, 5_000_000)];
    expect(computeHouseholdReport(input).assets.financialTotal).toBe(0);
  });

  it('treats a needed department with no source at all as missing', () => {
    const r = report({ ...base, providers: ['public-security', 'tax', 'housing', 'provident-fund'] });
    expect(r.tests.financialAssets).toBe('unknown');
    expect(r.testDetails.financialAssets.missing).toEqual(['bank']);
  });

  it('reports error reasons and late answers on the source', () => {
    const input = reportInput({ ...base, statuses: { tax: 'error' } });
    input.sources.find((s) => s.provider === 'housing')!.late = true;
    const r = computeHouseholdReport(input);
    expect(r.sources.find((s) => s.provider === 'tax')).toEqual({ department: 'tax', provider: 'tax', status: 'error', records: 0, respondedAt: null, reason: 'connection refused' });
    expect(r.sources.find((s) => s.provider === 'housing')).toMatchObject({ late: true, status: 'no_record' });
    expect(r.notes.map((n) => n.code)).toEqual(expect.arrayContaining(['sources_missing', 'late_answers']));
  });
});

describe('conclusion precedence', () => {
  const a = member(11, '王五', 'applicant');
  it.each([
    ['a failing test beats an unknown one', [vehicle(a, 'car')], { tax: 'timeout' as const }, 'exceeds_limits'],
    ['unknown without failure is incomplete', [], { tax: 'timeout' as const }, 'incomplete'],
    ['all pass', [], {}, 'within_limits'],
    ['a fail with everything answered', [property(a, 'commercial', 100, 10000)], {}, 'exceeds_limits'],
  ])('%s', (_why, records, statuses, conclusion) => {
    expect(report({ members: [a], records: [person(a), ...records], statuses }).conclusion).toBe(conclusion);
  });
});

describe('discrepancies', () => {
  const a = member(11, '王五', 'applicant');
  const b = member(22, '赵六', 'spouse');
  const c = member(33, '孙七', 'child', '2012-09-09');
  const withIncome = (category: 'wage' | 'business' | 'rent', monthly: number) => income(a, '2026-01', category, monthly * 12);

  /* tolerance {absolute 10000, relative 0.1}: t(v) = max(10000, 0.1 v) */
  it.each([
    // verified record, declared, flagged?, tolerance — worked: verified − declared vs t(verified)
    ['wage 100000 declared 90000: 10000 = t(100000)=10000 → not', withIncome('wage', 100000), { wage: 90000 }, false, 10000],
    ['wage 100000 declared 89999: 10001 > 10000 → flagged', withIncome('wage', 100000), { wage: 89999 }, true, 10000],
    ['wage 50000 declared 40000: 10000 = t=max(10000,5000) → not', withIncome('wage', 50000), { wage: 40000 }, false, 10000],
    ['wage 50000 declared 39999 → flagged', withIncome('wage', 50000), { wage: 39999 }, true, 10000],
    // 0.1 × 200005 = 20000.5: a difference of 20000 is within, 20001 is not; the tolerance is reported as 20000 fen
    ['wage 200005 declared 180005: 20000 ≤ 20000.5 → not', withIncome('wage', 200005), { wage: 180005 }, false, 20000],
    ['wage 200005 declared 180004: 20001 > 20000.5 → flagged', withIncome('wage', 200005), { wage: 180004 }, true, 20000],
    ['business 50000, category not declared (counts 0): 50000 > 10000 → flagged', withIncome('business', 50000), {}, true, 10000],
    ['property 10000, not declared: 10000 = 10000 → not', withIncome('rent', 10000), { wage: 0 }, false, 10000],
    ['property 10001, not declared → flagged', withIncome('rent', 10001), {}, true, 10000],
    ['business loss −30000 declared 0 → not (understatement only)', withIncome('business', -30000), { business: 0 }, false, 10000],
  ])('%s', (_why, record, monthlyIncome, flagged, tol) => {
    const r = report({ members: [a], records: [person(a), record], declared: { monthlyIncome } });
    const found = r.discrepancies.filter((d) => d.kind === 'income_understated');
    if (!flagged) {
      expect(found).toEqual([]);
      return;
    }
    const category = record.item === 'rent' ? 'property' : record.item;
    expect(found).toEqual([
      {
        kind: 'income_understated',
        category,
        declared: (monthlyIncome as Record<string, number>)[category] ?? 0,
        verified: r.income.byCategory[category as 'wage'],
        tolerance: tol,
      },
    ]);
  });

  it('applies the relative tolerance exactly (0.57 × 100 = 57, which floating point makes 56.99…)', () => {
    const policy = examplePolicy({ discrepancyTolerance: { absolute: 0, relative: 0.57 } });
    const at = report({ members: [a], records: [person(a), withIncome('wage', 100)], declared: { monthlyIncome: { wage: 43 } }, policy });
    const over = report({ members: [a], records: [person(a), withIncome('wage', 100)], declared: { monthlyIncome: { wage: 42 } }, policy });
    expect(at.discrepancies).toEqual([]);
    expect(over.discrepancies).toEqual([{ kind: 'income_understated', category: 'wage', declared: 42, verified: 100, tolerance: 57 }]);
  });

  /* financial total 3 500 000: t = max(10000, 350000) = 350000 */
  it.each([
    [3_150_000, false],
    [3_149_999, true],
    [undefined, false],
  ])('financial assets 3 500 000 declared %p → flagged %p', (declared, flagged) => {
    const r = report({
      members: [a],
      records: [person(a), holding('bank:ICBC', a, 3_000_000), holding('bank:CCB', a, 500_000)],
      declared: declared === undefined ? { vehicles: 5 } : { financialAssets: declared },
    });
    expect(r.discrepancies).toEqual(
      flagged ? [{ kind: 'financial_assets_understated', declared, verified: 3_500_000, tolerance: 350_000 }] : [],
    );
  });

  it.each([
    // normal vehicles (counted or exempt) against the declared count; scrapped ones not
    [0, true],
    [1, false],
    [undefined, false],
  ])('one normal motorcycle (exempt) and a scrapped car, declared vehicles %p → flagged %p', (declared, flagged) => {
    const r = report({ members: [a], records: [person(a), vehicle(a, 'motorcycle'), vehicle(a, 'car', 'scrapped')], declared: { vehicles: declared } });
    expect(r.discrepancies).toEqual(flagged ? [{ kind: 'undeclared_vehicles', declared: 0, verified: 1 }] : []);
  });

  it.each([
    [1, true],
    [2, false],
  ])('a shared flat (two records, one certificate) and a shop, declared properties %d → flagged %p', (declared, flagged) => {
    const cert = { certificateNo: '渝(2021)长寿区不动产权第0777号' };
    const r = report({
      members: [a, b],
      records: [person(a), person(b), property(a, 'residential', 8000, 5000, cert), property(b, 'residential', 8000, 5000, cert), property(a, 'commercial', 2000, 10000), property(b, 'residential', 9000, 10000, { status: 'cancelled' })],
      declared: { properties: declared },
    });
    expect(r.discrepancies).toEqual(flagged ? [{ kind: 'undeclared_properties', declared, verified: 2 }] : []);
  });

  it('flags identity mismatch and not found per member, and no figure discrepancies without a declaration', () => {
    const r = report({
      members: [a, b, c],
      records: [person(a), person(b, { name: '赵陆' }), income(a, '2026-01', 'wage', 10_000_000)],
    });
    expect(r.members.map((m) => m.identity)).toEqual(['verified', 'mismatch', 'not_found']);
    expect(r.members[1].registeredName).toBe('赵陆');
    expect(r.members[2]).toMatchObject({ vitalStatus: 'unknown', counted: true });
    expect(r.discrepancies).toEqual([
      { kind: 'identity_mismatch', member: `500115********${b.idNumber.slice(-4)}` },
      { kind: 'identity_not_found', member: `500115********${c.idNumber.slice(-4)}` },
    ]);
  });

  it('lists every kind together, figures first then members', () => {
    const r = report({
      members: [a, b],
      records: [
        person(a),
        person(b, { status: 'deceased', name: '别人' }),
        withIncome('wage', 200000),
        holding('bank:ICBC', a, 2_000_000),
        vehicle(a, 'car'),
        property(a, 'residential', 9000, 10000),
      ],
      declared: { monthlyIncome: {}, financialAssets: 0, vehicles: 0, properties: 0 },
    });
    expect(r.discrepancies.map((d) => [d.kind, d.category])).toEqual([
      ['income_understated', 'wage'],
      ['financial_assets_understated', undefined],
      ['undeclared_vehicles', undefined],
      ['undeclared_properties', undefined],
      ['deceased_member', undefined],
      ['identity_mismatch', undefined],
    ]);
  });
});

describe('determinism', () => {
  it('gives the same report whatever the order of sources and records, and counts a repeated record once', () => {
    const spec = householdA();
    const input = reportInput(spec);
    const reversed = reportInput(spec);
    reversed.sources.reverse();
    for (const s of reversed.sources) s.records.reverse();
    expect(computeHouseholdReport(reversed)).toEqual(computeHouseholdReport(input));

    const duplicated = reportInput(spec);
    const tax = duplicated.sources.find((s) => s.provider === 'tax')!;
    tax.records.push(...tax.records.map((r) => ({ ...r })));
    const d = computeHouseholdReport(duplicated);
    expect(d.income).toEqual(computeHouseholdReport(input).income);
  });

  it('refuses amounts that are not integer fen', () => {
    const a = member(11, '王五', 'applicant');
    expect(() => report({ members: [a], records: [person(a), income(a, '2026-01', 'wage', 100.5)] })).toThrow(/safe integer/);
  });
});
