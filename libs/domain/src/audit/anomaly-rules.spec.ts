import type { AuditEntry } from './audit-entry';
import { auditEntry } from './testing/audit-entries';
import {
  type AnomalyThresholds,
  DEFAULT_ANOMALY_THRESHOLDS,
  afterHoursActivity,
  checkAnomalyThresholds,
  detectAnomalies,
  isAfterHours,
  lookupBursts,
  lookupsOutsideRegion,
  queriesWithoutCase,
  regionCovers,
  repeatedPersonLookups,
  repeatedReportExports,
} from './anomaly-rules';

const CASE_A = '6a1f0000-0000-4000-8000-0000000000a1';
const CASE_B = '6a1f0000-0000-4000-8000-0000000000b2';
const PERSON = 'a'.repeat(64);
const OTHER_PERSON = 'b'.repeat(64);

/** Entries numbered 1, 2, 3 … (Monday 2026-11-02 in Shanghai unless the case says otherwise). */
function entries(...overrides: Partial<AuditEntry>[]): AuditEntry[] {
  return overrides.map((o, i) => auditEntry({ eventId: `e-${i + 1}`, ...o, sequence: i + 1 }));
}

/** `n` entries `stepMinutes` apart from `start` (Shanghai local time on Monday 2026-11-02). */
function spaced(n: number, stepMinutes: number, patch: Partial<AuditEntry> = {}, start = '2026-11-02T09:00:00+08:00'): Partial<AuditEntry>[] {
  return Array.from({ length: n }, (_, i) => ({ ...patch, occurredAt: new Date(Date.parse(start) + i * stepMinutes * 60_000).toISOString() }));
}

describe('query without case', () => {
  const t = { count: 1 };
  it.each<[string, Partial<AuditEntry>[], number[]]>([
    ['a provider query whose case was created', [{ action: 'verification_created' }, { action: 'provider_query_sent', provider: 'tax' }], []],
    ['a provider query without verification id', [{ action: 'provider_query_sent', verificationId: null }], [1]],
    ['a report read of a verification never created', [{ action: 'verification_created' }, { action: 'report_read', verificationId: CASE_B }], [2]],
    ['a login (not a case act)', [{ action: 'login_succeeded', verificationId: null }], []],
  ])('%s', (_, list, flagged) => {
    expect(queriesWithoutCase(entries(...list), t).flatMap((f) => f.entrySequences)).toEqual(flagged);
  });

  it('knows cases created before the entries it is given', () => {
    const list = entries({ action: 'report_exported', verificationId: CASE_B });
    expect(queriesWithoutCase(list, t, { createdVerificationIds: new Set([CASE_B]) })).toEqual([]);
  });

  it.each([
    [2, 1],
    [3, 0],
  ])('flags an actor from the threshold on (2 orphan acts, threshold %d → %d flags)', (count, flags) => {
    const list = entries({ action: 'provider_query_sent', verificationId: null }, { action: 'provider_query_sent', verificationId: CASE_B });
    expect(queriesWithoutCase(list, { count })).toHaveLength(flags);
  });
});

describe('same person looked up repeatedly by one officer', () => {
  const t = { count: 3, windowHours: 24 };
  const created = (occurredAt: string, patch: Partial<AuditEntry> = {}): Partial<AuditEntry> => ({ action: 'verification_created', occurredAt, ...patch });

  it.each<[string, Partial<AuditEntry>[], number[][]]>([
    ['3 within 24 h', [created('2026-11-02T09:00:00+08:00'), created('2026-11-02T15:00:00+08:00'), created('2026-11-03T08:59:59+08:00')], [[1, 2, 3]]],
    ['2 within 24 h (below the threshold)', [created('2026-11-02T09:00:00+08:00'), created('2026-11-02T15:00:00+08:00')], []],
    ['3 spread over more than 24 h', [created('2026-11-02T09:00:00+08:00'), created('2026-11-02T15:00:00+08:00'), created('2026-11-03T09:00:00+08:00')], []],
    [
      '3 by two officers',
      [created('2026-11-02T09:00:00+08:00'), created('2026-11-02T10:00:00+08:00', { actorUsername: 'other' }), created('2026-11-02T11:00:00+08:00')],
      [],
    ],
    [
      '3 about different people',
      [created('2026-11-02T09:00:00+08:00'), created('2026-11-02T10:00:00+08:00', { subjectHashes: [OTHER_PERSON] }), created('2026-11-02T11:00:00+08:00')],
      [],
    ],
    ['3 report reads (not new lookups)', spaced(3, 60, { action: 'report_read' }), []],
  ])('%s', (_, list, flagged) => {
    expect(repeatedPersonLookups(entries(...list), t).map((f) => f.entrySequences)).toEqual(flagged);
  });

  it('names the person by masked form only', () => {
    const [flag] = repeatedPersonLookups(entries(...spaced(3, 60, { action: 'verification_created', subjectHashes: [OTHER_PERSON, PERSON], subjectsMasked: ['110105********002X', '500115********1234'] })), t);
    expect(flag).toMatchObject({ rule: 'repeated_person', count: 3, threshold: 3, actor: { username: 'officer' } });
    expect(['110105********002X', '500115********1234']).toContain(flag.subjectMasked);
  });
});

describe('lookups outside the officer’s region', () => {
  it.each<[string, Partial<AuditEntry>, boolean]>([
    ['own county', { caseRegion: '500115' }, false],
    ['another county', { caseRegion: '500116' }, true],
    ['a city-level officer in one of its counties', { actorRegion: '500100', caseRegion: '500115' }, false],
    ['a province-level officer in another province', { actorRegion: '500000', caseRegion: '110105' }, true],
    ['an admin (not region-bound)', { actorRole: 'admin', caseRegion: '500116' }, false],
    ['a reviewer in another county reading a report', { actorRole: 'reviewer', action: 'report_read', caseRegion: '500116' }, true],
    ['a provider query (no user act)', { action: 'provider_query_sent', caseRegion: '500116' }, false],
    ['an event without case region', { caseRegion: null }, false],
  ])('%s', (_, patch, flagged) => {
    expect(lookupsOutsideRegion(entries(patch), { count: 1 })).toHaveLength(flagged ? 1 : 0);
  });

  it.each([
    [2, 1],
    [3, 0],
  ])('two outside lookups against threshold %d → %d flags', (count, flags) => {
    expect(lookupsOutsideRegion(entries({ caseRegion: '500116' }, { caseRegion: '110105' }), { count })).toHaveLength(flags);
  });

  it.each([
    ['500115', '500115', true],
    ['500100', '500115', true],
    ['500000', '510101', false],
    ['000000', '110105', true],
  ])('region %s covers %s: %s', (user, region, expected) => {
    expect(regionCovers(user, region)).toBe(expected);
  });
});

describe('bursts', () => {
  const t = { count: 5, windowMinutes: 10 };
  it.each<[string, Partial<AuditEntry>[], number[][]]>([
    ['5 reads within 10 minutes', spaced(5, 2, { action: 'report_read' }), [[1, 2, 3, 4, 5]]],
    ['4 reads within 10 minutes', spaced(4, 2, { action: 'report_read' }), []],
    ['5 reads spanning exactly 10 minutes', spaced(5, 2.5, { action: 'report_read' }), []],
    ['7 reads within 10 minutes (one flag)', spaced(7, 1, { action: 'report_read' }), [[1, 2, 3, 4, 5, 6, 7]]],
    ['two separate bursts', [...spaced(5, 1, { action: 'report_read' }), ...spaced(5, 1, { action: 'report_read' }, '2026-11-02T14:00:00+08:00')], [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]],
    ['5 logins (not data access)', spaced(5, 1, { action: 'login_succeeded' }), []],
  ])('%s', (_, list, flagged) => {
    expect(lookupBursts(entries(...list), t).map((f) => f.entrySequences)).toEqual(flagged);
  });

  it('counts each user on their own', () => {
    const list = spaced(6, 1, { action: 'report_read' }).map((e, i) => ({ ...e, actorUsername: i % 2 === 0 ? 'a' : 'b' }));
    expect(lookupBursts(entries(...list), t)).toEqual([]);
  });

  it('gives the window of the entries behind the flag', () => {
    const [flag] = lookupBursts(entries(...spaced(5, 2, { action: 'verification_created' })), t);
    expect(flag).toMatchObject({ rule: 'burst', count: 5, threshold: 5, window: { from: '2026-11-02T01:00:00.000Z', to: '2026-11-02T01:08:00.000Z' } });
  });
});

describe('after-hours activity', () => {
  const hours = { workdayStartHour: 8, workdayEndHour: 19 };
  it.each([
    ['Monday 07:59 Shanghai', '2026-11-02T07:59:00+08:00', true],
    ['Monday 08:00 Shanghai', '2026-11-02T08:00:00+08:00', false],
    ['Monday 18:59 Shanghai', '2026-11-02T18:59:59+08:00', false],
    ['Monday 19:00 Shanghai', '2026-11-02T19:00:00+08:00', true],
    ['Monday 10:00 Shanghai written in UTC', '2026-11-02T02:00:00Z', false],
    ['Monday 03:00 Shanghai written in UTC (Sunday 19:00 UTC)', '2026-11-01T19:00:00Z', true],
    ['Saturday 10:00 Shanghai', '2026-11-07T10:00:00+08:00', true],
    ['Sunday 10:00 Shanghai', '2026-11-08T10:00:00+08:00', true],
  ])('%s → %s', (_, at, expected) => {
    expect(isAfterHours(at, hours)).toBe(expected);
  });

  it.each<[string, Partial<AuditEntry>[], number, number[][]]>([
    ['one late read, threshold 1', [{ action: 'report_read', occurredAt: '2026-11-02T22:30:00+08:00' }], 1, [[1]]],
    ['one late read, threshold 2', [{ action: 'report_read', occurredAt: '2026-11-02T22:30:00+08:00' }], 2, []],
    ['a late read and a daytime read', [{ action: 'report_read', occurredAt: '2026-11-02T22:30:00+08:00' }, { action: 'report_read' }], 1, [[1]]],
    ['a late system provider query', [{ action: 'provider_query_sent', occurredAt: '2026-11-02T22:30:00+08:00' }], 1, []],
    [
      'late reads on two days (one flag per day)',
      [
        { action: 'report_read', occurredAt: '2026-11-02T22:30:00+08:00' },
        { action: 'report_read', occurredAt: '2026-11-03T06:00:00+08:00' },
      ],
      1,
      [[1], [2]],
    ],
  ])('%s', (_, list, count, flagged) => {
    expect(afterHoursActivity(entries(...list), { count, ...hours }).map((f) => f.entrySequences)).toEqual(flagged);
  });
});

describe('a report exported many times', () => {
  const t = { count: 3, windowHours: 24 };
  it.each<[string, Partial<AuditEntry>[], number[][]]>([
    ['3 exports of one report', spaced(3, 30, { action: 'report_exported' }), [[1, 2, 3]]],
    ['2 exports of one report', spaced(2, 30, { action: 'report_exported' }), []],
    ['3 exports over two reports', spaced(3, 30, { action: 'report_exported' }).map((e, i) => ({ ...e, verificationId: i === 1 ? CASE_B : CASE_A })), []],
    ['3 exports over more than 24 h', spaced(3, 13 * 60, { action: 'report_exported' }), []],
    ['3 reads of one report', spaced(3, 30, { action: 'report_read' }), []],
  ])('%s', (_, list, flagged) => {
    expect(repeatedReportExports(entries(...list), t).map((f) => f.entrySequences)).toEqual(flagged);
  });

  it('names the verification', () => {
    expect(repeatedReportExports(entries(...spaced(3, 30, { action: 'report_exported' })), t)[0]).toMatchObject({
      rule: 'repeated_report_export',
      verificationId: CASE_A,
      count: 3,
      threshold: 3,
    });
  });
});

describe('detectAnomalies', () => {
  it('runs every rule and orders flags by window', () => {
    const list = entries(
      { action: 'report_read', occurredAt: '2026-11-02T23:00:00+08:00' },
      { action: 'provider_query_sent', verificationId: null, occurredAt: '2026-11-02T09:00:00+08:00' },
    );
    const context = { createdVerificationIds: new Set([CASE_A]) };
    expect(detectAnomalies(list, DEFAULT_ANOMALY_THRESHOLDS, context).map((f) => [f.rule, f.entrySequences])).toEqual([
      ['query_without_case', [2]],
      ['after_hours', [1]],
    ]);
  });

  it('flags nothing in an ordinary day', () => {
    const list = entries(
      { action: 'verification_created' },
      { action: 'provider_query_sent', provider: 'tax' },
      { action: 'provider_answer_received', provider: 'tax', outcomeStatus: 'answered', recordCount: 2 },
      { action: 'report_read', occurredAt: '2026-11-02T11:00:00+08:00' },
    );
    expect(detectAnomalies(list)).toEqual([]);
  });

  it('checks thresholds', () => {
    expect(checkAnomalyThresholds(DEFAULT_ANOMALY_THRESHOLDS)).toEqual([]);
    const bad: AnomalyThresholds = { ...DEFAULT_ANOMALY_THRESHOLDS, burst: { count: 0, windowMinutes: 10 }, afterHours: { count: 1, workdayStartHour: 19, workdayEndHour: 8 } };
    expect(checkAnomalyThresholds(bad)).toEqual([
      'burst.count must be a whole number ≥ 1, not 0',
      'afterHours working hours must be whole hours with 0 ≤ start < end ≤ 24, not 19–8',
    ]);
  });
});
