/**
 * Anomaly flags over the audit log (domain.md section 8): pure functions over recorded entries with
 * configurable thresholds. A flag names its rule, the window of the entries behind it (first and last
 * occurrence), the actor, how many entries it counts against which threshold, and their sequences.
 * Flags are leads for the audit office, not verdicts.
 */
import { isWorkingDay } from '../working-days';
import type { AuditAction, AuditEntry } from './audit-entry';

export const ANOMALY_RULES = [
  'query_without_case',
  'repeated_person',
  'outside_region',
  'burst',
  'after_hours',
  'repeated_report_export',
] as const;
export type AnomalyRule = (typeof ANOMALY_RULES)[number];

export interface AnomalyThresholds {
  /** Acts about a case that was never created, or about no case at all: flagged from `count` per actor. */
  queryWithoutCase: { count: number };
  /** One officer creating `count` verifications about the same person within `windowHours`. */
  repeatedPerson: { count: number; windowHours: number };
  /** Officers and reviewers touching cases outside their region: flagged from `count` per actor. */
  outsideRegion: { count: number };
  /** `count` accesses by one user within `windowMinutes`. */
  burst: { count: number; windowMinutes: number };
  /**
   * Accesses outside working hours (Asia/Shanghai, from workdayStartHour:00 to workdayEndHour:00, Monday to
   * Friday; public holidays are not modelled): flagged from `count` per actor and day.
   */
  afterHours: { count: number; workdayStartHour: number; workdayEndHour: number };
  /** One user exporting (printing) the same verification's report `count` times within `windowHours`. */
  reportExports: { count: number; windowHours: number };
}

export const DEFAULT_ANOMALY_THRESHOLDS: AnomalyThresholds = {
  queryWithoutCase: { count: 1 },
  repeatedPerson: { count: 3, windowHours: 24 },
  outsideRegion: { count: 1 },
  burst: { count: 30, windowMinutes: 10 },
  afterHours: { count: 1, workdayStartHour: 8, workdayEndHour: 19 },
  reportExports: { count: 3, windowHours: 24 },
};

/** Problems with a thresholds object, each naming its field ([] when usable). */
export function checkAnomalyThresholds(t: AnomalyThresholds): string[] {
  const problems: string[] = [];
  const positive = (field: string, value: number) => {
    if (!Number.isInteger(value) || value < 1) problems.push(`${field} must be a whole number ≥ 1, not ${value}`);
  };
  positive('queryWithoutCase.count', t.queryWithoutCase.count);
  positive('repeatedPerson.count', t.repeatedPerson.count);
  positive('repeatedPerson.windowHours', t.repeatedPerson.windowHours);
  positive('outsideRegion.count', t.outsideRegion.count);
  positive('burst.count', t.burst.count);
  positive('burst.windowMinutes', t.burst.windowMinutes);
  positive('afterHours.count', t.afterHours.count);
  positive('reportExports.count', t.reportExports.count);
  positive('reportExports.windowHours', t.reportExports.windowHours);
  const { workdayStartHour: start, workdayEndHour: end } = t.afterHours;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > 24 || start >= end) {
    problems.push(`afterHours working hours must be whole hours with 0 ≤ start < end ≤ 24, not ${start}–${end}`);
  }
  return problems;
}

/** A user reading or requesting people's data (bursts, after-hours activity). */
export const ACCESS_ACTIONS: readonly AuditAction[] = [
  'verification_created',
  'report_read',
  'report_exported',
  'report_signed',
  'audit_searched',
  'audit_exported',
  'audit_report_opened',
];

/** Acts that belong to a case: each needs a verification that was created (query_without_case). */
export const CASE_ACTIONS: readonly AuditAction[] = [
  'provider_query_sent',
  'provider_answer_received',
  'report_read',
  'report_exported',
  'report_signed',
  'objection_recorded',
  'audit_report_opened',
];

/** A user touching a case's people or report (outside_region). */
export const REGIONAL_ACTIONS: readonly AuditAction[] = ['verification_created', 'report_read', 'report_exported', 'report_signed'];

/** Roles bound to their own region (domain.md section 2). */
export const REGIONAL_ROLES: readonly string[] = ['officer', 'reviewer'];

export interface AnomalyFlag {
  rule: AnomalyRule;
  /** First and last occurrence of the entries behind the flag (ISO 8601 instants). */
  window: { from: string; to: string };
  actor: { username: string; role: string; regionCode: string | null };
  count: number;
  threshold: number;
  /** The entries behind the flag, in sequence order. */
  entrySequences: number[];
  /** repeated_person: the person, masked. */
  subjectMasked?: string;
  /** repeated_report_export: the verification whose report was exported. */
  verificationId?: string;
}

export interface AnomalyContext {
  /** Verifications known to have been created (e.g. before the entries' window); entries' own verification_created count too. */
  createdVerificationIds?: ReadonlySet<string>;
}

const HOUR_MS = 3600_000;
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

const timeOf = (entry: AuditEntry): number => Date.parse(entry.occurredAt);
const instant = (ms: number): string => new Date(ms).toISOString();
const isOneOf = (actions: readonly string[], entry: AuditEntry): boolean => actions.includes(entry.action);

function groupBy<K>(entries: readonly AuditEntry[], keyOf: (entry: AuditEntry) => K | undefined): Map<K, AuditEntry[]> {
  const groups = new Map<K, AuditEntry[]>();
  for (const entry of entries) {
    const key = keyOf(entry);
    if (key === undefined) continue;
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  return groups;
}

function byTime(a: AuditEntry, b: AuditEntry): number {
  return timeOf(a) - timeOf(b) || a.sequence - b.sequence;
}

function flagOf(
  rule: AnomalyRule,
  threshold: number,
  entries: readonly AuditEntry[],
  extra: Pick<AnomalyFlag, 'subjectMasked' | 'verificationId'> = {},
): AnomalyFlag {
  const times = entries.map(timeOf);
  const first = entries[0];
  return {
    rule,
    window: { from: instant(Math.min(...times)), to: instant(Math.max(...times)) },
    actor: { username: first.actorUsername, role: first.actorRole, regionCode: first.actorRegion },
    count: entries.length,
    threshold,
    entrySequences: entries.map((e) => e.sequence).sort((a, b) => a - b),
    ...extra,
  };
}

/**
 * The clusters of time-ordered entries in which at least `count` fall within `windowMs` of the cluster's
 * first: every window holding `count` entries is found, and windows that share an entry are merged.
 */
export function denseClusters(sorted: readonly AuditEntry[], count: number, windowMs: number): AuditEntry[][] {
  const clusters: AuditEntry[][] = [];
  let current: { start: number; end: number } | undefined;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    end = Math.max(end, start);
    while (end + 1 < sorted.length && timeOf(sorted[end + 1]) - timeOf(sorted[start]) < windowMs) end++;
    if (end - start + 1 < count) continue;
    if (current && start <= current.end) current.end = end;
    else {
      if (current) clusters.push(sorted.slice(current.start, current.end + 1));
      current = { start, end };
    }
  }
  if (current) clusters.push(sorted.slice(current.start, current.end + 1));
  return clusters;
}

/** Acts about a verification that was never created, or about none at all (无委托、不核对: every query has a case). */
export function queriesWithoutCase(
  entries: readonly AuditEntry[],
  threshold: AnomalyThresholds['queryWithoutCase'],
  context: AnomalyContext = {},
): AnomalyFlag[] {
  const created = new Set(context.createdVerificationIds ?? []);
  for (const e of entries) if (e.action === 'verification_created' && e.verificationId) created.add(e.verificationId);
  const orphans = entries.filter((e) => isOneOf(CASE_ACTIONS, e) && (!e.verificationId || !created.has(e.verificationId)));
  return [...groupBy(orphans, (e) => e.actorUsername).values()]
    .filter((group) => group.length >= threshold.count)
    .map((group) => flagOf('query_without_case', threshold.count, group.sort(byTime)));
}

/** One officer creating several verifications about the same person within the window. */
export function repeatedPersonLookups(entries: readonly AuditEntry[], threshold: AnomalyThresholds['repeatedPerson']): AnomalyFlag[] {
  const lookups = entries.filter((e) => e.action === 'verification_created');
  const perPerson = new Map<string, { entries: AuditEntry[]; masked: string }>();
  for (const entry of lookups) {
    entry.subjectHashes.forEach((hash, i) => {
      const key = `${entry.actorUsername}\u0000${hash}`;
      const group = perPerson.get(key) ?? { entries: [], masked: entry.subjectsMasked[i] ?? '' };
      if (!group.entries.includes(entry)) group.entries.push(entry);
      perPerson.set(key, group);
    });
  }
  const flags: AnomalyFlag[] = [];
  for (const { entries: group, masked } of perPerson.values()) {
    for (const cluster of denseClusters(group.sort(byTime), threshold.count, threshold.windowHours * HOUR_MS)) {
      flags.push(flagOf('repeated_person', threshold.count, cluster, { subjectMasked: masked }));
    }
  }
  return flags;
}

/**
 * Whether a user of `userRegion` may work on a case of `caseRegion`: administrative codes are
 * province (2 digits), city (2), county (2); a code ending in 00 or 0000 covers its whole city or province.
 */
export function regionCovers(userRegion: string, caseRegion: string): boolean {
  let prefix = userRegion;
  while (prefix.length > 0 && prefix.endsWith('00')) prefix = prefix.slice(0, -2);
  return caseRegion.startsWith(prefix);
}

/** Officers and reviewers touching cases of a region they do not belong to. */
export function lookupsOutsideRegion(entries: readonly AuditEntry[], threshold: AnomalyThresholds['outsideRegion']): AnomalyFlag[] {
  const outside = entries.filter(
    (e) =>
      isOneOf(REGIONAL_ACTIONS, e) &&
      REGIONAL_ROLES.includes(e.actorRole) &&
      e.actorRegion !== null &&
      e.caseRegion !== null &&
      !regionCovers(e.actorRegion, e.caseRegion),
  );
  return [...groupBy(outside, (e) => e.actorUsername).values()]
    .filter((group) => group.length >= threshold.count)
    .map((group) => flagOf('outside_region', threshold.count, group.sort(byTime)));
}

/** Many accesses by one user in a short time. */
export function lookupBursts(entries: readonly AuditEntry[], threshold: AnomalyThresholds['burst']): AnomalyFlag[] {
  const accesses = entries.filter((e) => isOneOf(ACCESS_ACTIONS, e));
  return [...groupBy(accesses, (e) => e.actorUsername).values()].flatMap((group) =>
    denseClusters(group.sort(byTime), threshold.count, threshold.windowMinutes * 60_000).map((cluster) =>
      flagOf('burst', threshold.count, cluster),
    ),
  );
}

/** Whether an instant falls outside working hours in Asia/Shanghai (UTC+8, no daylight saving) or on a weekend. */
export function isAfterHours(occurredAt: string, hours: Pick<AnomalyThresholds['afterHours'], 'workdayStartHour' | 'workdayEndHour'>): boolean {
  const local = new Date(Date.parse(occurredAt) + SHANGHAI_OFFSET_MS);
  const date = local.toISOString().slice(0, 10);
  const hour = local.getUTCHours() + local.getUTCMinutes() / 60 + local.getUTCSeconds() / 3600;
  return !isWorkingDay(date) || hour < hours.workdayStartHour || hour >= hours.workdayEndHour;
}

/** Accesses outside working hours or on weekends, one flag per user and (Shanghai) day. */
export function afterHoursActivity(entries: readonly AuditEntry[], threshold: AnomalyThresholds['afterHours']): AnomalyFlag[] {
  const late = entries.filter((e) => isOneOf(ACCESS_ACTIONS, e) && isAfterHours(e.occurredAt, threshold));
  const dayOf = (e: AuditEntry) => new Date(timeOf(e) + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
  return [...groupBy(late, (e) => `${e.actorUsername}\u0000${dayOf(e)}`).values()]
    .filter((group) => group.length >= threshold.count)
    .map((group) => flagOf('after_hours', threshold.count, group.sort(byTime)));
}

/** The same report exported (printed) many times by one user. */
export function repeatedReportExports(entries: readonly AuditEntry[], threshold: AnomalyThresholds['reportExports']): AnomalyFlag[] {
  const exports = entries.filter((e) => e.action === 'report_exported' && e.verificationId !== null);
  return [...groupBy(exports, (e) => `${e.actorUsername}\u0000${e.verificationId}`).values()].flatMap((group) =>
    denseClusters(group.sort(byTime), threshold.count, threshold.windowHours * HOUR_MS).map((cluster) =>
      flagOf('repeated_report_export', threshold.count, cluster, { verificationId: cluster[0].verificationId ?? undefined }),
    ),
  );
}

/** Every rule over the entries, flags ordered by the start of their window. */
export function detectAnomalies(
  entries: readonly AuditEntry[],
  thresholds: AnomalyThresholds = DEFAULT_ANOMALY_THRESHOLDS,
  context: AnomalyContext = {},
): AnomalyFlag[] {
  const valid = entries.filter((e) => !Number.isNaN(timeOf(e)));
  return [
    ...queriesWithoutCase(valid, thresholds.queryWithoutCase, context),
    ...repeatedPersonLookups(valid, thresholds.repeatedPerson),
    ...lookupsOutsideRegion(valid, thresholds.outsideRegion),
    ...lookupBursts(valid, thresholds.burst),
    ...afterHoursActivity(valid, thresholds.afterHours),
    ...repeatedReportExports(valid, thresholds.reportExports),
  ].sort(
    (a, b) =>
      a.window.from.localeCompare(b.window.from) ||
      ANOMALY_RULES.indexOf(a.rule) - ANOMALY_RULES.indexOf(b.rule) ||
      a.entrySequences[0] - b.entrySequences[0],
  );
}
