import { diffReports, type HouseholdReport } from '@verihub/domain';
import type { ReportChange } from '../database/report-version.entity';

/** The report sections whose figures a new version can change (api.md "Report"). */
const COMPARED_SECTIONS = ['asOf', 'policy', 'lookback', 'household', 'income', 'assets', 'tests', 'conclusion', 'discrepancies', 'sources'];

/** Lists are compared element by element under a stable key where they have one. */
const LIST_KEYS: Record<string, string> = { sources: 'provider' };

function flatten(value: unknown, path: string, out: Map<string, unknown>): void {
  if (Array.isArray(value)) {
    const key = LIST_KEYS[path];
    if (key && value.every((v) => typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)[key] === 'string')) {
      for (const item of value as Array<Record<string, unknown>>) flatten(item, `${path}[${String(item[key])}]`, out);
      return;
    }
    if (value.every((v) => typeof v !== 'object' || v === null)) {
      out.set(path, value);
      return;
    }
    value.forEach((item, i) => flatten(item, `${path}[${i}]`, out));
    if (value.length === 0) out.set(path, []);
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, out);
    return;
  }
  out.set(path, value);
}

function leaves(report: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const section of COMPARED_SECTIONS) {
    if (section in report) flatten(report[section], section, out);
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The parts of a report the domain's diff reads: a report computed by libs/domain has them all. */
function isHouseholdReport(value: Record<string, unknown>): value is Record<string, unknown> & HouseholdReport {
  const income = value.income;
  const assets = value.assets;
  return (
    isObject(value.policy) &&
    isObject(value.lookback) &&
    isObject(value.household) &&
    Array.isArray(value.members) &&
    value.members.every((m) => isObject(m) && isObject(m.income) && Array.isArray(m.estimatedMonths)) &&
    isObject(income) &&
    isObject(income.byCategory) &&
    isObject(assets) &&
    Array.isArray(assets.accounts) &&
    Array.isArray(assets.vehicles) &&
    isObject(value.tests) &&
    Array.isArray(value.discrepancies) &&
    Array.isArray(value.sources)
  );
}

/**
 * What differs between two report versions, figure by figure (`income.monthlyPerCapita`, `sources[tax].status`):
 * the domain's diffReports (the same the aggregator applies) for computed household reports, else a
 * generic comparison of the report's sections (reports that only list sources, before the computation).
 */
export function reportChanges(previous: Record<string, unknown>, next: Record<string, unknown>): ReportChange[] {
  if (isHouseholdReport(previous) && isHouseholdReport(next)) {
    try {
      return diffReports(previous, next);
    } catch {
      // A report that looks computed but is not complete: compare it generically.
    }
  }
  return genericChanges(previous, next);
}

function genericChanges(previous: Record<string, unknown>, next: Record<string, unknown>): ReportChange[] {
  const before = leaves(previous);
  const after = leaves(next);
  const paths = [...new Set([...before.keys(), ...after.keys()])];
  const changes: ReportChange[] = [];
  for (const path of paths) {
    const from = before.has(path) ? before.get(path) : null;
    const to = after.has(path) ? after.get(path) : null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ path, from, to });
  }
  return changes;
}
