/**
 * What the report computation reads from the providers' answers: which sources answered, and the
 * records they returned, deduplicated and in one canonical order so that the report does not
 * depend on the order answers or records arrived in.
 */
import type { Department } from '../providers';
import type { DepartmentRecord } from '../records';
import type { SourceAnswer, SourceStatus } from './report.types';

/** A needed source counts as answered when it answered with records or said it holds none. */
export function isAnsweredStatus(status: SourceStatus): boolean {
  return status === 'answered' || status === 'no_record';
}

const DEPARTMENT_ORDER: readonly Department[] = ['public-security', 'tax', 'housing', 'provident-fund', 'bank'];

function departmentRank(department: string): number {
  const rank = DEPARTMENT_ORDER.indexOf(department as Department);
  return rank === -1 ? DEPARTMENT_ORDER.length : rank;
}

/** Sources in report order: by department (public security, tax, housing, provident fund, banks), then provider id. */
export function compareSources(a: Pick<SourceAnswer, 'department' | 'provider'>, b: Pick<SourceAnswer, 'department' | 'provider'>): number {
  return departmentRank(a.department) - departmentRank(b.department) || compareText(a.provider, b.provider);
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Identity numbers compare case-insensitively on the check character ("x" = "X"). */
export function normalizeIdNumber(idNumber: string): string {
  return idNumber.trim().toUpperCase();
}

export interface ReportEvidence {
  /** Sources in report order. */
  sources: SourceAnswer[];
  /** Records of answered sources, deduplicated by (provider, kind, recordId), in canonical order. */
  records: DepartmentRecord[];
  /** The canonical records about one person (normalized identity number). */
  recordsOf(idNumber: string): DepartmentRecord[];
  /** Sources of a department in report order; for an unknown department id, none. */
  sourcesOf(department: Department): SourceAnswer[];
}

function recordKey(record: DepartmentRecord): string {
  return `${record.provider}\u0000${record.kind}\u0000${record.recordId}`;
}

/** A stable serialization (sorted keys) used to pick one of two differing copies of a record. */
function canonicalJson(record: DepartmentRecord): string {
  const entries = Object.entries(record).sort(([a], [b]) => compareText(a, b));
  return JSON.stringify(entries);
}

function compareRecords(a: DepartmentRecord, b: DepartmentRecord): number {
  return (
    compareText(a.provider, b.provider) ||
    compareText(a.kind, b.kind) ||
    compareText(periodOf(a), periodOf(b)) ||
    compareText(a.recordId, b.recordId) ||
    compareText(canonicalJson(a), canonicalJson(b))
  );
}

function periodOf(record: DepartmentRecord): string {
  return 'period' in record ? record.period : '';
}

/**
 * Only answered sources contribute records (a source that timed out, failed or was not queried
 * contributes none even if it carried some). A record delivered twice counts once; if two copies
 * differ, the canonically smaller one is kept, so the choice does not depend on arrival order.
 */
export function gatherEvidence(sources: SourceAnswer[]): ReportEvidence {
  const ordered = [...sources].sort(compareSources);
  const byKey = new Map<string, DepartmentRecord>();
  for (const source of ordered) {
    if (source.status !== 'answered') continue;
    for (const record of source.records) {
      const key = recordKey(record);
      const kept = byKey.get(key);
      if (!kept || canonicalJson(record) < canonicalJson(kept)) byKey.set(key, record);
    }
  }
  const records = [...byKey.values()].sort(compareRecords);
  const byPerson = new Map<string, DepartmentRecord[]>();
  for (const record of records) {
    const id = normalizeIdNumber(record.idNumber);
    const list = byPerson.get(id);
    if (list) list.push(record);
    else byPerson.set(id, [record]);
  }
  return {
    sources: ordered,
    records,
    recordsOf: (idNumber) => byPerson.get(normalizeIdNumber(idNumber)) ?? [],
    sourcesOf: (department) => ordered.filter((s) => s.department === department),
  };
}
