import { computeHouseholdReport, diffReports } from '@verihub/domain';
import { holding, member, person, reportInput } from '@verihub/domain/report/testing/report-builders';
import { reportChanges } from './report-changes';

describe('report changes between versions', () => {
  it('names each changed figure by path, sources by provider, and ignores identical ones', () => {
    const v1 = {
      reportNumber: 'R-1',
      version: 1,
      conclusion: 'incomplete',
      income: { monthlyTotal: 150000, monthlyPerCapita: 50000 },
      tests: { income: 'pass', financialAssets: 'unknown' },
      sources: [
        { provider: 'tax', status: 'answered', records: 3 },
        { provider: 'bank:ICBC', status: 'timeout', records: 0 },
      ],
    };
    const v2 = {
      ...v1,
      reportNumber: 'R-2',
      version: 2,
      conclusion: 'within_limits',
      tests: { income: 'pass', financialAssets: 'pass' },
      sources: [
        { provider: 'bank:ICBC', status: 'answered', records: 2 },
        { provider: 'tax', status: 'answered', records: 3 },
      ],
    };
    expect(reportChanges(v1, v2)).toEqual([
      { path: 'tests.financialAssets', from: 'unknown', to: 'pass' },
      { path: 'conclusion', from: 'incomplete', to: 'within_limits' },
      { path: 'sources[bank:ICBC].status', from: 'timeout', to: 'answered' },
      { path: 'sources[bank:ICBC].records', from: 0, to: 2 },
    ]);
  });

  it('reports a figure that appears or disappears as from/to null', () => {
    expect(reportChanges({ assets: { financialTotal: 5 } }, { assets: {} })).toEqual([{ path: 'assets.financialTotal', from: 5, to: null }]);
    expect(reportChanges({}, { conclusion: 'exceeds_limits' })).toEqual([{ path: 'conclusion', from: null, to: 'exceeds_limits' }]);
  });

  it('finds no change between equal reports', () => {
    const report = { conclusion: 'within_limits', discrepancies: [{ kind: 'deceased_member', member: '500115********0115' }] };
    expect(reportChanges(report, JSON.parse(JSON.stringify(report)))).toEqual([]);
  });

  it('uses the domain diff for computed household reports, as the aggregator does (after a JSON round trip)', () => {
    const applicant = member(1, '张三', 'applicant');
    const records = [person(applicant), holding('bank:ICBC', applicant, 1_000_000)];
    const v1 = computeHouseholdReport(reportInput({ members: [applicant], records, statuses: { 'bank:CCB': 'timeout' } }));
    const v2 = computeHouseholdReport({
      ...reportInput({ members: [applicant], records: [...records, holding('bank:CCB', applicant, 500_000)] }),
      version: 2,
    });
    const json = (r: unknown) => JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
    const changes = reportChanges(json(v1), json(v2));
    expect(changes).toEqual(diffReports(v1, v2));
    expect(changes).toContainEqual({ path: 'assets.financialTotal', from: 1_000_000, to: 1_500_000 });
    expect(changes).toContainEqual({ path: 'sources[bank:CCB].status', from: 'timeout', to: 'answered' });
  });
});
