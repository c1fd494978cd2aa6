/**
 * What changed between two versions of a household's report (a late answer or a re-check makes
 * version N+1): the figures, members' statuses, tests, conclusion, discrepancies and sources, each
 * as a path with its old and new value. Lists are keyed by what identifies an entry (provider,
 * discrepancy kind/category/member, member position), not by position in the list.
 */
import type { Discrepancy, HouseholdReport } from './report.types';
import { REPORT_TESTS, VERIFIED_INCOME_CATEGORIES } from './report.types';

/** null: absent in that version. */
export type ReportChangeValue = string | number | boolean | null | Discrepancy;

export interface ReportChange {
  /** e.g. "income.monthlyPerCapita", "tests.income", "sources[bank:ICBC].status", "discrepancies[income_understated:wage]" */
  path: string;
  /** The value in the earlier version (null: absent). */
  from: ReportChangeValue;
  /** The value in the later version (null: absent). */
  to: ReportChangeValue;
}

function flatten(report: HouseholdReport): Map<string, ReportChangeValue> {
  const out = new Map<string, ReportChangeValue>();
  const put = (path: string, value: ReportChangeValue | undefined) => out.set(path, value === undefined ? null : value);

  put('asOf', report.asOf);
  put('policy.id', report.policy.id);
  put('policy.version', report.policy.version);
  put('policy.appliedStandardMonthly', report.policy.appliedStandardMonthly);
  put('policy.financialAssetsLimit', report.policy.financialAssetsLimit);
  put('lookback.from', report.lookback.from);
  put('lookback.to', report.lookback.to);
  put('household.memberCount', report.household.memberCount);
  put('household.hukouType', report.household.hukouType);

  report.members.forEach((m, i) => {
    const at = `members[${i}]`;
    put(`${at}.identity`, m.identity);
    put(`${at}.vitalStatus`, m.vitalStatus);
    put(`${at}.counted`, m.counted);
    put(`${at}.hukouType`, m.hukouType);
    for (const c of VERIFIED_INCOME_CATEGORIES) put(`${at}.income.${c}`, m.income[c]);
    put(`${at}.estimatedMonths`, m.estimatedMonths.join(','));
  });

  put('income.monthlyTotal', report.income.monthlyTotal);
  put('income.monthlyPerCapita', report.income.monthlyPerCapita);
  for (const c of [...VERIFIED_INCOME_CATEGORIES, 'transfer'] as const) put(`income.byCategory.${c}`, report.income.byCategory[c]);
  put('income.transferUnverified', report.income.transferUnverified);

  put('assets.financialTotal', report.assets.financialTotal);
  for (const bank of report.assets.accounts) put(`assets.accounts[${bank.provider}].total`, bank.total);
  put('assets.providentFundBalance', report.assets.providentFundBalance);
  put('assets.vehicles', report.assets.vehicles.length);
  put('assets.countedVehicles', report.assets.countedVehicles);
  put('assets.residentialProperties', report.assets.residentialProperties);
  put('assets.nonResidentialProperties', report.assets.nonResidentialProperties);
  put('assets.residentialAreaPerCapitaM2', report.assets.residentialAreaPerCapitaM2);

  for (const t of REPORT_TESTS) put(`tests.${t}`, report.tests[t]);
  put('conclusion', report.conclusion);

  const seen = new Map<string, number>();
  for (const d of report.discrepancies) {
    const base = [d.kind, d.category, d.member].filter((p) => p !== undefined).join(':');
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    put(`discrepancies[${count === 1 ? base : `${base}#${count}`}]`, d);
  }

  for (const s of report.sources) {
    const at = `sources[${s.provider}]`;
    put(`${at}.status`, s.status);
    put(`${at}.records`, s.records);
    put(`${at}.respondedAt`, s.respondedAt);
    put(`${at}.reason`, s.reason);
    put(`${at}.late`, s.late);
  }
  return out;
}

function same(a: ReportChangeValue, b: ReportChangeValue): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) return canonical(a) === canonical(b);
  return false;
}

function canonical(d: Discrepancy): string {
  return JSON.stringify(Object.entries(d).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}

/** Every path whose value differs, previous version's paths first, then paths new in `next`. */
export function diffReports(previous: HouseholdReport, next: HouseholdReport): ReportChange[] {
  const before = flatten(previous);
  const after = flatten(next);
  const changes: ReportChange[] = [];
  for (const [path, old] of before) {
    const now = after.has(path) ? (after.get(path) as ReportChangeValue) : null;
    if (!same(old, now)) changes.push({ path, from: old, to: now });
  }
  for (const [path, now] of after) {
    if (!before.has(path) && now !== null) changes.push({ path, from: null, to: now });
  }
  return changes;
}
