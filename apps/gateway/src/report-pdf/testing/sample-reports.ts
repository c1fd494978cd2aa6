/**
 * Realistic household reports for the PDF specs, computed by the domain's own rules from hand-made
 * department records (test support).
 *
 * The 王 household (asOf 2026-11-01, lookback 2025-11 … 2026-10, 12 months):
 * - 王建国 (applicant): wage 6,500.00 a month, tax 150.00, provident-fund employee share 260.00
 *   -> 6,090.00 a month x 12 = 73,080.00; rent 1,200.00 once (2026-06).
 * - 李秀英 (spouse): no tax wage, provident-fund base 4,000.00, employee 200.00 in 2026-05 … 2026-10
 *   -> 3,800.00 x 6 estimated = 22,800.00.
 * - 王小明 (child): public security registers him as 王晓明 (identity mismatch).
 * - 赵桂兰 (parent): deceased, not counted.
 * - declared transfer 500.00 a month -> 6,000.00 over 12 months.
 * - ICBC: interest 45.00 (2026-06) and deposits; CCB timed out (its 99,999.99 is not counted).
 * Household: S = 73,080.00 + 22,800.00 + (1,200.00 + 45.00) + 6,000.00 = 103,125.00; n = 3;
 * monthlyTotal = 8,593.75, monthlyPerCapita = 2,864.58 (103,125.00 / 36, half-up).
 * Housing answered late. A car (counted) and a motorcycle (exempt): the vehicles test fails.
 */
import { computeHouseholdReport, type DepartmentRecord, type HouseholdReport } from '@verihub/domain';
import {
  contribution,
  fundAccount,
  holding,
  income,
  interest,
  member,
  person,
  property,
  reportInput,
  vehicle,
} from '@verihub/domain/report/testing/report-builders';

const LOOKBACK = [
  '2025-11',
  '2025-12',
  '2026-01',
  '2026-02',
  '2026-03',
  '2026-04',
  '2026-05',
  '2026-06',
  '2026-07',
  '2026-08',
  '2026-09',
  '2026-10',
];

export const WANG = {
  applicant: member(1, '王建国', 'applicant', '1978-04-12'),
  spouse: member(2, '李秀英', 'spouse', '1980-09-03'),
  child: member(3, '王小明', 'child', '2012-06-18'),
  parent: member(5, '赵桂兰', 'parent', '1941-01-20'),
};

export const WANG_REPORT_NUMBER = 'HC-20261101-9F3A2C71';

const RESPONDED: Record<string, string> = {
  'public-security': '2026-11-01T09:12:05+08:00',
  tax: '2026-11-01T09:14:41+08:00',
  housing: '2026-11-01T11:58:10+08:00',
  'provident-fund': '2026-11-01T09:13:22+08:00',
  'bank:ICBC': '2026-11-01T09:20:00+08:00',
};

export function wangHouseholdReport(overrides: { version?: number; issuedAt?: string } = {}): HouseholdReport {
  const { applicant, spouse, child, parent } = WANG;
  const records: DepartmentRecord[] = [
    person(applicant),
    person(spouse),
    person(child, { name: '王晓明' }),
    person(parent, { status: 'deceased', deathDate: '2026-03-14', hukouType: 'rural' }),
    ...LOOKBACK.map((m) => income(applicant, m, 'wage', 650_000, 15_000)),
    ...LOOKBACK.map((m) => contribution(applicant, m, 520_000, 26_000)),
    income(applicant, '2026-06', 'rent', 120_000, 0),
    ...LOOKBACK.slice(6).map((m) => contribution(spouse, m, 400_000, 20_000)),
    // The deceased member's records do not count.
    ...LOOKBACK.map((m) => income(parent, m, 'wage', 300_000, 0)),
    fundAccount(applicant, 2_345_600),
    holding('bank:ICBC', applicant, 3_000_000, 'time'),
    holding('bank:ICBC', spouse, 812_345, 'current'),
    interest('bank:ICBC', applicant, '2026-06', 4_500),
    holding('bank:CCB', applicant, 9_999_999, 'wealth'),
    vehicle(applicant, 'car', 'normal', '渝A12345'),
    vehicle(spouse, 'motorcycle', 'normal', '渝B6789X'),
    vehicle(applicant, 'car', 'scrapped', '渝A00001'),
    property(applicant, 'residential', 8_950, 10_000, { certificateNo: '渝(2020)长寿区不动产权第0001234号' }),
    property(spouse, 'residential', 6_400, 5_000, { certificateNo: '渝(2015)长寿区不动产权第0005678号' }),
  ];
  const input = reportInput({
    members: [applicant, spouse, child, parent],
    records,
    statuses: { 'bank:CCB': 'timeout' },
    declared: { monthlyIncome: { wage: 300_000, transfer: 50_000 }, financialAssets: 1_000_000, vehicles: 0, properties: 1 },
  });
  input.reportNumber = WANG_REPORT_NUMBER;
  input.verificationId = '9f3a2c71-5d2e-4b8a-9c61-0e7f4d2b8a13';
  input.version = overrides.version ?? 1;
  input.issuedAt = overrides.issuedAt ?? '2026-11-01T12:00:00+08:00';
  input.sources = input.sources.map((s) => ({
    ...s,
    ...(RESPONDED[s.provider] ? { respondedAt: RESPONDED[s.provider] } : {}),
    ...(s.provider === 'housing' ? { late: true } : {}),
  }));
  return computeHouseholdReport(input);
}

/**
 * A household whose income appendix runs over several pages: `members` members, each with a wage, a labour
 * and an interest/dividend record in every lookback month, and a deposit at each bank.
 */
export function manyRecordsReport(memberCount: number): HouseholdReport {
  const names = ['周', '吴', '郑', '孙', '钱', '冯', '陈', '褚', '卫', '蒋', '沈', '韩'];
  const members = Array.from({ length: memberCount }, (_, i) =>
    member(2 * i + 1, `${names[i % names.length]}${['志强', '淑芬', '海燕', '国庆', '桂英', '建华'][i % 6]}`, i === 0 ? 'applicant' : 'child', '1985-01-01'),
  );
  const records: DepartmentRecord[] = members.flatMap((m, i) => [
    person(m),
    ...LOOKBACK.flatMap((month) => [
      income(m, month, 'wage', 400_000 + i * 1_000, 2_000),
      income(m, month, 'labor', 50_000, 0),
      income(m, month, 'interest_dividend', 1_234, 0),
    ]),
    holding('bank:ICBC', m, 100_000 * (i + 1)),
    holding('bank:CCB', m, 50_000),
  ]);
  const input = reportInput({ members, records });
  input.reportNumber = 'HC-20261101-MANY0001';
  return computeHouseholdReport(input);
}
