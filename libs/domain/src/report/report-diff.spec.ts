import { computeHouseholdReport } from './household-report';
import { diffReports } from './report-diff';
import { holding, member, person, reportInput } from './testing/report-builders';

describe('diffReports', () => {
  const a = member(11, '王五', 'applicant');
  const records = [person(a), holding('bank:ICBC', a, 1_000_000)];

  /*
   * Version 1: CCB timed out → financialAssets and income unknown, conclusion incomplete.
   * Version 2: CCB answers late with 1 000 000 → financial total 2 000 000 > 78000 × 24 × 1 = 1 872 000
   *   → financialAssets fail, conclusion exceeds_limits; income (per capita 0 < 78000) now passes.
   */
  const v1 = computeHouseholdReport(reportInput({ members: [a], records, statuses: { 'bank:CCB': 'timeout' }, declared: { financialAssets: 1_000_000 } }));
  const input2 = reportInput({ members: [a], records: [...records, holding('bank:CCB', a, 1_000_000)], declared: { financialAssets: 1_000_000 } });
  input2.version = 2;
  input2.sources.find((s) => s.provider === 'bank:CCB')!.late = true;
  const v2 = computeHouseholdReport(input2);

  it('lists the figures, tests, conclusion, discrepancies and sources that changed', () => {
    const changes = diffReports(v1, v2);
    const byPath = Object.fromEntries(changes.map((c) => [c.path, [c.from, c.to]]));
    expect(byPath).toEqual({
      'assets.financialTotal': [1_000_000, 2_000_000],
      'assets.accounts[bank:CCB].total': [0, 1_000_000],
      'tests.income': ['unknown', 'pass'],
      'tests.financialAssets': ['unknown', 'fail'],
      conclusion: ['incomplete', 'exceeds_limits'],
      'sources[bank:CCB].status': ['timeout', 'answered'],
      'sources[bank:CCB].records': [0, 1],
      'sources[bank:CCB].respondedAt': [null, '2026-11-01T10:00:00+08:00'],
      'sources[bank:CCB].late': [null, true],
      // 2 000 000 − 1 000 000 = 1 000 000 > t = max(10000, 200000)
      'discrepancies[financial_assets_understated]': [
        null,
        { kind: 'financial_assets_understated', declared: 1_000_000, verified: 2_000_000, tolerance: 200_000 },
      ],
    });
  });

  it('is empty between identical reports and ignores the version number', () => {
    expect(diffReports(v1, v1)).toEqual([]);
    expect(diffReports(v2, { ...v2, version: 3, issuedAt: '2026-11-02T08:00:00+08:00' })).toEqual([]);
  });

  it('reports a removed discrepancy with to: null', () => {
    expect(diffReports(v2, v1)).toContainEqual({
      path: 'discrepancies[financial_assets_understated]',
      from: expect.objectContaining({ kind: 'financial_assets_understated' }),
      to: null,
    });
  });
});
