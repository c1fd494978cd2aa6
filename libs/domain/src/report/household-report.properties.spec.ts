/**
 * Invariants of the report computation, checked on random households (fast-check).
 */
import fc from 'fast-check';
import { addMonths } from '../periods';
import type { DepartmentRecord, TaxItem } from '../records';
import { computeHouseholdReport } from './household-report';
import { TEST_NEEDS } from './threshold-tests';
import type { ReportInput, ReportTestName, SourceStatus } from './report.types';
import { REPORT_TESTS } from './report.types';
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
  PROVIDERS,
  reportInput,
  vehicle,
} from './testing/report-builders';

const MEMBERS = [member(11, '张三', 'applicant'), member(22, '李四', 'spouse'), member(33, '张小明', 'child', '2012-09-09'), member(44, '张老汉', 'parent', '1950-01-01')];
const BANKS = ['bank:ICBC', 'bank:CCB'] as const;
const SILENT: SourceStatus[] = ['timeout', 'error', 'not_queried', 'pending'];

/** Periods from 2025-08 to 2027-01: the lookback (2025-11 … 2026-10) and a few months either side. */
const periodArb = fc.integer({ min: 0, max: 17 }).map((i) => addMonths('2025-08', i));
const memberArb = fc.integer({ min: 0, max: 3 });
const fenArb = fc.integer({ min: 0, max: 5_000_000 });

type Members = typeof MEMBERS;
type RecordSpec = (members: Members) => DepartmentRecord;

const recordArb: fc.Arbitrary<RecordSpec> = fc.oneof(
  fc
    .tuple(memberArb, periodArb, fc.constantFrom<TaxItem>('wage', 'labor', 'business', 'rent', 'interest_dividend'), fc.integer({ min: -200_000, max: 2_000_000 }), fc.integer({ min: 0, max: 100_000 }))
    .map(([m, p, item, amount, tax]) => (ms: Members) => income(ms[m], p, item, amount, tax)),
  fc.tuple(memberArb, periodArb, fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 100_000 })).map(([m, p, base, employee]) => (ms: Members) => contribution(ms[m], p, base, employee)),
  fc.tuple(memberArb, fc.constantFrom(...BANKS), fenArb).map(([m, bank, fen]) => (ms: Members) => holding(bank, ms[m], fen)),
  fc.tuple(memberArb, fc.constantFrom(...BANKS), periodArb, fc.integer({ min: 0, max: 50_000 })).map(([m, bank, p, fen]) => (ms: Members) => interest(bank, ms[m], p, fen)),
  fc.tuple(memberArb, fenArb).map(([m, fen]) => (ms: Members) => fundAccount(ms[m], fen)),
  fc
    .tuple(memberArb, fc.constantFrom('car', 'truck', 'motorcycle', 'tricycle', 'disability') as fc.Arbitrary<'car'>, fc.constantFrom('normal', 'scrapped') as fc.Arbitrary<'normal'>)
    .map(([m, type, status]) => (ms: Members) => vehicle(ms[m], type, status)),
  fc
    .tuple(memberArb, fc.constantFrom('residential', 'commercial') as fc.Arbitrary<'residential'>, fc.integer({ min: 1000, max: 30000 }), fc.integer({ min: 1, max: 10000 }))
    .map(([m, use, area, share]) => (ms: Members) => property(ms[m], use, area, share)),
);

interface Household {
  input: ReportInput;
}

const householdArb: fc.Arbitrary<Household> = fc
  .record({
    count: fc.integer({ min: 1, max: 4 }),
    persons: fc.array(fc.constantFrom('active', 'active', 'deceased', 'absent'), { minLength: 4, maxLength: 4 }),
    hukou: fc.constantFrom('urban', 'rural') as fc.Arbitrary<'urban'>,
    records: fc.array(recordArb, { maxLength: 25 }),
    statuses: fc.array(fc.constantFrom<SourceStatus>('answered', 'answered', 'answered', 'timeout', 'error'), { minLength: PROVIDERS.length, maxLength: PROVIDERS.length }),
    transfer: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }),
    deduction: fc.constantFrom(0, 0, 50_000),
    /** The housing extension, m² with two decimals, or absent. */
    areaLimit: fc.option(fc.integer({ min: 0, max: 20_000 }).map((centi) => centi / 100), { nil: undefined }),
  })
  .map(({ count, persons, hukou, records, statuses, transfer, deduction, areaLimit }) => {
    const members = MEMBERS.slice(0, count);
    const people = members.flatMap((m, i) =>
      persons[i] === 'absent' ? [] : [person(m, { status: persons[i] as 'active' | 'deceased', hukouType: hukou })],
    );
    const all = [...people, ...records.map((build) => build(MEMBERS)).filter((r) => members.some((m) => m.idNumber === r.idNumber))];
    const input = reportInput({
      members,
      records: all,
      statuses: Object.fromEntries(PROVIDERS.map((p, i) => [p, statuses[i]])),
      policy: examplePolicy({ employmentDeductionMonthly: deduction, ...(areaLimit !== undefined ? { maxResidentialAreaPerCapitaM2: areaLimit } : {}) }),
      ...(transfer !== undefined ? { declared: { monthlyIncome: { transfer } } } : {}),
    });
    return { input };
  });

function withRecord(input: ReportInput, record: DepartmentRecord): ReportInput {
  return {
    ...input,
    sources: input.sources.map((s) => (s.provider === record.provider ? { ...s, records: [...s.records, record] } : s)),
  };
}

describe('report invariants (property-based)', () => {
  it('adding a business or property income record with non-negative net never lowers that category', () => {
    fc.assert(
      fc.property(householdArb, memberArb, periodArb, fc.constantFrom<TaxItem>('business', 'rent', 'interest_dividend'), fenArb, (h, m, p, item, fen) => {
        const target = h.input.members[m % h.input.members.length];
        const before = computeHouseholdReport(h.input);
        const after = computeHouseholdReport(withRecord(h.input, income(target, p, item, fen)));
        const category = item === 'business' ? 'business' : 'property';
        expect(after.income.lookbackSums[category]).toBeGreaterThanOrEqual(before.income.lookbackSums[category]);
        expect(after.income.byCategory[category]).toBeGreaterThanOrEqual(before.income.byCategory[category]);
      }),
    );
  });

  it('adding bank interest never lowers property income', () => {
    fc.assert(
      fc.property(householdArb, memberArb, periodArb, fc.constantFrom(...BANKS), fenArb, (h, m, p, bank, fen) => {
        const target = h.input.members[m % h.input.members.length];
        const before = computeHouseholdReport(h.input);
        const after = computeHouseholdReport(withRecord(h.input, interest(bank, target, p, fen)));
        expect(after.income.lookbackSums.property).toBeGreaterThanOrEqual(before.income.lookbackSums.property);
      }),
    );
  });

  it('adding a wage record with non-negative net never lowers wage, unless it replaces a provident-fund estimate', () => {
    fc.assert(
      fc.property(householdArb, memberArb, periodArb, fc.constantFrom<TaxItem>('wage', 'labor'), fenArb, (h, m, p, item, fen) => {
        const target = h.input.members[m % h.input.members.length];
        const before = computeHouseholdReport(h.input);
        const estimated = before.members.find((x) => x.idNumber === target.idNumber)!.estimatedMonths.includes(p);
        fc.pre(!estimated);
        const after = computeHouseholdReport(withRecord(h.input, income(target, p, item, fen)));
        expect(after.income.lookbackSums.wage).toBeGreaterThanOrEqual(before.income.lookbackSums.wage);
      }),
    );
  });

  it('adding a bank holding never lowers the financial total', () => {
    fc.assert(
      fc.property(householdArb, memberArb, fc.constantFrom(...BANKS), fenArb, (h, m, bank, fen) => {
        const target = h.input.members[m % h.input.members.length];
        const before = computeHouseholdReport(h.input);
        const after = computeHouseholdReport(withRecord(h.input, holding(bank, target, fen)));
        expect(after.assets.financialTotal).toBeGreaterThanOrEqual(before.assets.financialTotal);
      }),
    );
  });

  it('a test that needs a silent source is unknown, and the conclusion is not within limits', () => {
    const needed = REPORT_TESTS.flatMap((test) =>
      PROVIDERS.filter((p) => TEST_NEEDS[test].includes(p.startsWith('bank:') ? 'bank' : (p as 'tax'))).map((provider) => [test, provider] as const),
    );
    fc.assert(
      fc.property(householdArb, fc.constantFrom(...needed), fc.constantFrom(...SILENT), (h, [test, provider], status) => {
        const input: ReportInput = {
          ...h.input,
          sources: h.input.sources.map((s) => (s.provider === provider ? { ...s, status, records: [], respondedAt: undefined } : s)),
        };
        const r = computeHouseholdReport(input);
        expect(r.tests[test as ReportTestName]).toBe('unknown');
        expect(r.testDetails[test].missing).toContain(provider);
        expect(r.conclusion).not.toBe('within_limits');
      }),
    );
  });

  it('a test whose sources all answered is pass or fail unless the standard or n is missing', () => {
    fc.assert(
      fc.property(householdArb, (h) => {
        const r = computeHouseholdReport(h.input);
        for (const test of REPORT_TESTS) {
          const detail = r.testDetails[test];
          const standardMissing = (test === 'income' || test === 'financialAssets') && (r.household.hukouType === 'unknown' || r.household.memberCount === 0);
          const areaPerCapitaMissing = test === 'realEstate' && r.policy.maxResidentialAreaPerCapitaM2 !== undefined && r.household.memberCount === 0;
          if (detail.missing.length === 0 && !standardMissing && !areaPerCapitaMissing) expect(['pass', 'fail']).toContain(detail.outcome);
          else expect(detail.outcome).toBe('unknown');
        }
      }),
    );
  });

  it('an area limit adds exactly one check: realEstate passes when the counts pass and the area per capita is at most the limit', () => {
    fc.assert(
      fc.property(householdArb, fc.integer({ min: 0, max: 20_000 }), (h, limitCenti) => {
        const limit = limitCenti / 100;
        const without = computeHouseholdReport({ ...h.input, policy: { ...h.input.policy, maxResidentialAreaPerCapitaM2: undefined } });
        const withLimit = computeHouseholdReport({ ...h.input, policy: { ...h.input.policy, maxResidentialAreaPerCapitaM2: limit } });
        expect(withLimit.testDetails.realEstate.checks.slice(0, 2)).toEqual(without.testDetails.realEstate.checks);
        expect(withLimit.testDetails.realEstate.checks[2]).toMatchObject({ measure: 'residentialAreaPerCapitaM2', limit, rule: 'le' });
        expect(withLimit.policy.maxResidentialAreaPerCapitaM2).toBe(limit);
        // Stricter, never more lenient.
        if (without.tests.realEstate === 'fail') expect(withLimit.tests.realEstate).toBe('fail');
        if (withLimit.tests.realEstate === 'pass') expect(without.tests.realEstate).toBe('pass');
        if (without.testDetails.realEstate.missing.length === 0 && withLimit.household.memberCount > 0) {
          const areaCenti = Math.round(withLimit.assets.residentialAreaPerCapitaM2 * 100);
          const expected = without.tests.realEstate === 'pass' && areaCenti <= limitCenti ? 'pass' : 'fail';
          expect(withLimit.tests.realEstate).toBe(expected);
        }
      }),
    );
  });

  it('adding a residential property never lowers the area per capita, so never turns a failing area check into a pass', () => {
    fc.assert(
      fc.property(householdArb, memberArb, fc.integer({ min: 1, max: 30_000 }), fc.integer({ min: 1, max: 10_000 }), (h, m, area, share) => {
        const target = h.input.members[m % h.input.members.length];
        const before = computeHouseholdReport(h.input);
        const after = computeHouseholdReport(withRecord(h.input, property(target, 'residential', area, share)));
        expect(after.assets.residentialAreaPerCapitaM2).toBeGreaterThanOrEqual(before.assets.residentialAreaPerCapitaM2);
        const areaCheck = (r: typeof before) => r.testDetails.realEstate.checks.find((c) => c.measure === 'residentialAreaPerCapitaM2');
        if (areaCheck(before)?.passed === false) expect(areaCheck(after)?.passed).toBe(false);
      }),
    );
  });

  it('rounds once: monthlyPerCapita × n × L and byCategory × L are within rounding of the exact sums', () => {
    fc.assert(
      fc.property(householdArb, (h) => {
        const r = computeHouseholdReport(h.input);
        const L = r.lookback.months;
        const n = r.household.memberCount;
        const S = r.income.lookbackSums.total;
        expect(2 * Math.abs(r.income.monthlyTotal * L - S)).toBeLessThanOrEqual(L);
        if (n > 0) expect(2 * Math.abs(r.income.monthlyPerCapita * n * L - S)).toBeLessThanOrEqual(n * L);
        else expect(r.income.monthlyPerCapita).toBe(0);
        for (const c of ['wage', 'business', 'property', 'transfer'] as const) {
          expect(2 * Math.abs(r.income.byCategory[c] * L - r.income.lookbackSums[c])).toBeLessThanOrEqual(L);
        }
        const months = r.income.months;
        expect(months.reduce((s, m) => s + m.total, 0)).toBe(S);
      }),
    );
  });

  it('every income figure is traceable: per member, the records add up to the sum', () => {
    fc.assert(
      fc.property(householdArb, (h) => {
        const r = computeHouseholdReport(h.input);
        for (const t of r.income.sources) {
          expect(t.records.reduce((s, x) => s + (x.amount ?? 0), 0) - t.employmentDeduction).toBe(t.sum);
          expect(r.members[t.memberIndex].counted).toBe(true);
        }
        for (const c of ['wage', 'business', 'property'] as const) {
          expect(r.income.sources.filter((t) => t.category === c).reduce((s, t) => s + t.sum, 0)).toBe(r.income.lookbackSums[c]);
        }
      }),
    );
  });

  it('is deterministic: the same input gives the same report, whatever the order of sources and records', () => {
    fc.assert(
      fc.property(
        householdArb.chain((h) =>
          fc.tuple(
            fc.constant(h),
            fc.shuffledSubarray(h.input.sources, { minLength: h.input.sources.length, maxLength: h.input.sources.length }),
            fc.array(fc.integer(), { minLength: h.input.sources.length, maxLength: h.input.sources.length }),
          ),
        ),
        ([h, shuffledSources, seeds]) => {
          const shuffled: ReportInput = {
            ...h.input,
            sources: shuffledSources.map((s, i) => ({ ...s, records: rotate(s.records, seeds[i]) })),
          };
          const r = computeHouseholdReport(h.input);
          expect(computeHouseholdReport(h.input)).toEqual(r);
          expect(computeHouseholdReport(shuffled)).toEqual(r);
        },
      ),
    );
  });
});

/** A reordering of the list: reversed when the seed is odd, then rotated by the seed. */
function rotate<T>(list: T[], seed: number): T[] {
  if (list.length === 0) return list;
  const base = seed % 2 === 0 ? [...list] : [...list].reverse();
  const k = Math.abs(seed) % base.length;
  return [...base.slice(k), ...base.slice(0, k)];
}
