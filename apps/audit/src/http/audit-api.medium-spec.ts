/**
 * The auditor API over a log filled through the real handler: who may call it, each search filter, the CSV
 * export (itself recorded), anomaly flags built from fixture events, and the chain check.
 */
import { randomUUID } from 'crypto';
import { keyedIdentityHash, makeIdentityNumber } from '@verihub/domain';
import { resetInProcessBroker } from '@verihub/messaging';
import { type AuditHarness, IDENTITY_HASH_KEY, auditEvent, publishAuditEvents, startAuditHarness } from '../testing/audit-harness';

const P1 = makeIdentityNumber('500115', '1980-03-14', 11);
const P2 = makeIdentityNumber('500116', '1982-07-02', 22);
const CASE_A = randomUUID();
const CASE_B = randomUUID();
/** The fixtures happen in the week of Monday 2025-03-03 (Asia/Shanghai). */
const WEEK = { from: '2025-03-03T00:00:00+08:00', to: '2025-03-09T23:59:59+08:00' };

const caseA = { verificationId: CASE_A, program: 'dibao', purpose: 'application', regionCode: '500115', authorizationRefs: ['AUTH-A-1', 'AUTH-A-2'] };
const caseB = { verificationId: CASE_B, program: 'tekun', purpose: 'review', regionCode: '500116', authorizationRefs: ['AUTH-B-1'] };
const officer = { username: 'officer', role: 'officer', regionCode: '500115' };
const officer2 = { username: 'officer2', role: 'officer', regionCode: '500116' };

const FIXTURES = {
  createdA: auditEvent({ action: 'verification_created', actor: officer, case: caseA, idNumbers: [P1, P2], occurredAt: '2025-03-03T09:00:00+08:00' }),
  taxQuery: auditEvent({ action: 'provider_query_sent', sourceService: 'aggregator', actor: officer, case: caseA, idNumbers: [P1, P2], provider: 'tax', dataCategories: ['income'], occurredAt: '2025-03-03T09:00:01+08:00' }),
  taxAnswer: auditEvent({
    action: 'provider_answer_received',
    sourceService: 'aggregator',
    actor: officer,
    case: caseA,
    idNumbers: [P1, P2],
    provider: 'tax',
    dataCategories: ['income'],
    outcome: { status: 'answered', recordCount: 2 },
    latencyMs: 95,
    occurredAt: '2025-03-03T09:00:02+08:00',
  }),
  bankQuery: auditEvent({ action: 'provider_query_sent', sourceService: 'aggregator', actor: officer, case: caseA, idNumbers: [P1, P2], provider: 'bank:ICBC', dataCategories: ['bank_holding'], occurredAt: '2025-03-03T09:00:01+08:00' }),
  createdB: auditEvent({ action: 'verification_created', actor: officer2, case: caseB, idNumbers: [P2], occurredAt: '2025-03-04T10:00:00+08:00' }),
  lateRead: auditEvent({ action: 'report_read', actor: officer, case: caseA, idNumbers: [P1, P2], dataCategories: ['report'], occurredAt: '2025-03-03T23:10:00+08:00' }),
  burst: Array.from({ length: 5 }, (_, i) =>
    auditEvent({ action: 'report_read', actor: officer2, case: caseB, idNumbers: [P2], dataCategories: ['report'], occurredAt: `2025-03-05T14:0${i}:00+08:00` }),
  ),
};
const ALL = [FIXTURES.createdA, FIXTURES.taxQuery, FIXTURES.taxAnswer, FIXTURES.bankQuery, FIXTURES.createdB, FIXTURES.lateRead, ...FIXTURES.burst];

interface EntryView {
  sequence: number;
  eventId: string;
  action: string;
  actor: { username: string };
  subjects: string[];
  outcome: { status: string | null; recordCount: number | null };
}

describe('auditor API', () => {
  let h: AuditHarness;
  let auditor: string;

  beforeAll(async () => {
    resetInProcessBroker();
    h = await startAuditHarness({ anomalyThresholds: { burst: { count: 5, windowMinutes: 10 } } });
    publishAuditEvents(...ALL);
    await h.untilEntries(ALL.length);
    auditor = await h.token({ sub: 'auditor', role: 'auditor', region: '500000' });
  });

  afterAll(async () => {
    await h?.close();
    resetInProcessBroker();
  });

  const get = (path: string, token = auditor) => h.http().get(path).set('Authorization', `Bearer ${token}`);
  const ids = (body: { items: EntryView[] }) => body.items.map((i) => i.eventId).sort();
  const idsOf = (...events: { eventId: string }[]) => events.map((e) => e.eventId).sort();
  const lastEntry = async () => (await h.sql.query(`SELECT * FROM audit.entries ORDER BY sequence DESC LIMIT 1`)).rows[0];

  describe('who may call it', () => {
    const routes = ['/api/v1/audit/entries', '/api/v1/audit/entries.csv', '/api/v1/audit/anomalies', '/api/v1/audit/chain'];

    it.each(routes)('%s: 401 without a token, with a forged or an expired one', async (route) => {
      const none = await h.http().get(route).expect(401);
      expect(none.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(none.headers['www-authenticate']).toBe('Bearer');
      expect(none.body).toMatchObject({ type: 'urn:verihub:problem:authentication-required', status: 401 });
      await get(route, await h.token({ sub: 'auditor', role: 'auditor' }, { secret: 'x'.repeat(32) })).expect(401);
      await get(route, await h.token({ sub: 'auditor', role: 'auditor' }, { expiresIn: -60 })).expect(401);
      await get(route, 'not-a-jwt').expect(401);
    });

    it.each(['officer', 'reviewer', 'admin', 'operator'])('403 for the %s role on every route', async (role) => {
      const token = await h.token({ sub: role, role });
      for (const route of routes) {
        const response = await get(route, token).expect(403);
        expect(response.body).toMatchObject({ type: 'urn:verihub:problem:role-not-allowed', status: 403 });
      }
      await h.http().post('/api/v1/audit/entries/search').set('Authorization', `Bearer ${token}`).send({}).expect(403);
    });

    it('serves the OpenAPI document without a token', async () => {
      const doc = await h.http().get('/api/docs-json').expect(200);
      expect(Object.keys(doc.body.paths)).toEqual(
        expect.arrayContaining(['/api/v1/audit/entries', '/api/v1/audit/entries.csv', '/api/v1/audit/anomalies', '/api/v1/audit/chain']),
      );
    });
  });

  describe('search', () => {
    it('by officer', async () => {
      const { body } = await get(`/api/v1/audit/entries?officer=officer2&to=${encodeURIComponent(WEEK.to)}`).expect(200);
      expect(ids(body)).toEqual(idsOf(FIXTURES.createdB, ...FIXTURES.burst));
      expect(body).toMatchObject({ total: 6, page: 1, pageSize: 50 });
    });

    it('refuses an identity number in a URL, naming the body route to use, and records no search', async () => {
      const before = await lastEntry();
      const { body } = await get(`/api/v1/audit/entries?idNumber=${P1}`).expect(400);
      expect(body.errors).toEqual([{ field: 'idNumber', message: expect.stringContaining('POST /api/v1/audit/entries/search') }]);
      const csv = await get(`/api/v1/audit/entries.csv?idNumber=${P1}`).expect(400);
      expect(csv.body.errors[0].field).toBe('idNumber');
      expect(await lastEntry()).toEqual(before);
    });

    it('by person: the identity number is searched by its keyed hash, shown masked, and the search is recorded', async () => {
      const { body } = await h.http().post('/api/v1/audit/entries/search').set('Authorization', `Bearer ${auditor}`).send({ idNumber: P1, to: WEEK.to }).expect(200);
      expect(ids(body)).toEqual(idsOf(FIXTURES.createdA, FIXTURES.taxQuery, FIXTURES.taxAnswer, FIXTURES.bankQuery, FIXTURES.lateRead));
      expect(body.items[0].subjects).toEqual([`500115********${P1.slice(-4)}`, `500116********${P2.slice(-4)}`]);
      expect(JSON.stringify(body)).not.toContain(P1);
      expect(JSON.stringify(body)).not.toContain(keyedIdentityHash(P1, IDENTITY_HASH_KEY));

      const searched = await lastEntry();
      expect(searched).toMatchObject({
        action: 'audit_searched',
        source_service: 'audit',
        actor_username: 'auditor',
        actor_role: 'auditor',
        actor_region: '500000',
        subject_hashes: [keyedIdentityHash(P1, IDENTITY_HASH_KEY)],
        subjects_masked: [`500115********${P1.slice(-4)}`],
        record_count: 5,
      });
      const everything = JSON.stringify((await h.sql.query(`SELECT * FROM audit.entries`)).rows);
      expect(everything).not.toContain(P1);
      expect(h.logger.lines.join('\n')).not.toContain(P1);
    });

    it('by person through the POST form (no identity number in the URL)', async () => {
      const { body } = await h.http().post('/api/v1/audit/entries/search').set('Authorization', `Bearer ${auditor}`).send({ idNumber: P2, to: WEEK.to, pageSize: 3 }).expect(200);
      expect(body).toMatchObject({ total: ALL.length, page: 1, pageSize: 3 });
      expect(body.items).toHaveLength(3);
    });

    it('by provider, by verification and programme, by action', async () => {
      const to = encodeURIComponent(WEEK.to);
      expect(ids((await get(`/api/v1/audit/entries?provider=tax&to=${to}`).expect(200)).body)).toEqual(idsOf(FIXTURES.taxQuery, FIXTURES.taxAnswer));
      expect(ids((await get(`/api/v1/audit/entries?verificationId=${CASE_B}&to=${to}`).expect(200)).body)).toEqual(idsOf(FIXTURES.createdB, ...FIXTURES.burst));
      expect(ids((await get(`/api/v1/audit/entries?program=dibao&action=provider_query_sent&to=${to}`).expect(200)).body)).toEqual(
        idsOf(FIXTURES.taxQuery, FIXTURES.bankQuery),
      );
    });

    it('by time range (inclusive), newest first, paged', async () => {
      const day = await get(`/api/v1/audit/entries?from=${encodeURIComponent('2025-03-04T00:00:00+08:00')}&to=${encodeURIComponent('2025-03-05T14:02:00+08:00')}`).expect(200);
      expect(ids(day.body)).toEqual(idsOf(FIXTURES.createdB, ...FIXTURES.burst.slice(0, 3)));
      const page2 = await get(`/api/v1/audit/entries?to=${encodeURIComponent(WEEK.to)}&page=2&pageSize=4`).expect(200);
      expect(page2.body).toMatchObject({ total: ALL.length, page: 2, pageSize: 4 });
      const sequences = page2.body.items.map((i: EntryView) => i.sequence);
      expect(sequences).toEqual([...sequences].sort((a, b) => b - a));
    });

    it.each<[string, string, { field: string; message: RegExp }]>([
      ['an identity number with a wrong check character', `idNumber=${P1.slice(0, 17)}${P1[17] === '0' ? '1' : '0'}`, { field: 'idNumber', message: /^invalid resident identity number \(check_digit\)$/ }],
      ['a time without offset', 'from=2025-03-03T00:00:00', { field: 'from', message: /with offset/ }],
      ['an unknown action', 'action=data_sold', { field: 'action', message: /^must be one of/ }],
      ['a page size over the limit', 'pageSize=500', { field: 'pageSize', message: /from 1 to 200/ }],
      ['an unknown parameter', 'name=张三', { field: 'name', message: /not an accepted parameter/ }],
      ['an end before the start', `from=${encodeURIComponent(WEEK.to)}&to=${encodeURIComponent(WEEK.from)}`, { field: 'to', message: /before from/ }],
      ['a repeated parameter', 'officer=a&officer=b', { field: 'officer', message: /username/ }],
    ])('refuses %s with 400 naming the parameter, and records nothing', async (_, query, error) => {
      const before = await h.entryCount();
      const response = await get(`/api/v1/audit/entries?${query}`).expect(400);
      expect(response.body).toMatchObject({ type: 'urn:verihub:problem:invalid-input', status: 400 });
      expect(response.body.errors).toEqual([{ field: error.field, message: expect.stringMatching(error.message) }]);
      expect(JSON.stringify(response.body)).not.toContain(P1.slice(0, 17));
      expect(await h.entryCount()).toBe(before);
    });
  });

  describe('CSV export', () => {
    it('sends a header row and one row per entry, masked, and records the export with its row count', async () => {
      const response = await get(`/api/v1/audit/entries.csv?verificationId=${CASE_A}&to=${encodeURIComponent(WEEK.to)}`).expect(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toMatch(/^attachment; filename="audit-log-\d+\.csv"$/);
      const lines = response.text.trimEnd().split('\r\n');
      expect(lines[0]).toBe(
        'sequence,occurredAt,recordedAt,sourceService,actorUsername,actorRole,actorRegion,actorOrganisation,action,verificationId,program,purpose,' +
          'caseRegion,authorizationRefs,subjects,provider,dataCategories,outcomeStatus,recordCount,latencyMs,entryHash',
      );
      expect(lines).toHaveLength(1 + 5);
      const answer = lines.find((l) => l.includes('provider_answer_received'))!.split(',');
      expect(answer.slice(1, 20)).toEqual([
        '2025-03-03T01:00:02.000Z',
        expect.any(String),
        'aggregator',
        'officer',
        'officer',
        '500115',
        '',
        'provider_answer_received',
        CASE_A,
        'dibao',
        'application',
        '500115',
        'AUTH-A-1;AUTH-A-2',
        `500115********${P1.slice(-4)};500116********${P2.slice(-4)}`,
        'tax',
        'income',
        'answered',
        '2',
        '95',
      ]);
      expect(response.text).not.toContain(P1);

      const exported = await lastEntry();
      expect(exported).toMatchObject({ action: 'audit_exported', actor_username: 'auditor', verification_id: CASE_A, record_count: 5 });
      expect(response.headers['content-disposition']).toContain(`audit-log-${exported.sequence}.csv`);
    });

    it('exports through the POST form too', async () => {
      const response = await h.http().post('/api/v1/audit/entries/export').set('Authorization', `Bearer ${auditor}`).send({ officer: 'officer2', to: WEEK.to }).expect(200);
      expect(response.text.trimEnd().split('\r\n')).toHaveLength(1 + 6);
      expect(await lastEntry()).toMatchObject({ action: 'audit_exported', record_count: 6 });
    });
  });

  describe('anomalies', () => {
    it('flags the burst and the after-hours read of the fixture week, and nothing else', async () => {
      const { body } = await get(`/api/v1/audit/anomalies?from=${encodeURIComponent(WEEK.from)}&to=${encodeURIComponent(WEEK.to)}`).expect(200);
      const sequenceOf = async (eventId: string) => Number((await h.sql.query(`SELECT sequence FROM audit.entries WHERE event_id = $1`, [eventId])).rows[0].sequence);
      expect(body.from).toBe('2025-03-02T16:00:00.000Z');
      expect(body.thresholds.burst).toEqual({ count: 5, windowMinutes: 10 });
      expect(body.flags).toEqual([
        {
          rule: 'after_hours',
          description: expect.any(String),
          window: { from: '2025-03-03T15:10:00.000Z', to: '2025-03-03T15:10:00.000Z' },
          actor: { username: 'officer', role: 'officer', regionCode: '500115' },
          count: 1,
          threshold: 1,
          entrySequences: [await sequenceOf(FIXTURES.lateRead.eventId)],
        },
        {
          rule: 'burst',
          description: expect.any(String),
          window: { from: '2025-03-05T06:00:00.000Z', to: '2025-03-05T06:04:00.000Z' },
          actor: { username: 'officer2', role: 'officer', regionCode: '500116' },
          count: 5,
          threshold: 5,
          entrySequences: await Promise.all(FIXTURES.burst.map((e) => sequenceOf(e.eventId))),
        },
      ]);
    });

    it('refuses a window longer than 92 days', async () => {
      const response = await get(`/api/v1/audit/anomalies?from=${encodeURIComponent('2024-12-01T00:00:00+08:00')}&to=${encodeURIComponent(WEEK.to)}`).expect(400);
      expect(response.body.errors).toEqual([{ field: 'from', message: 'the window may be at most 92 days long' }]);
    });

    it('defaults to the last seven days', async () => {
      const { body } = await get('/api/v1/audit/anomalies').expect(200);
      expect(Date.parse(body.to) - Date.parse(body.from)).toBe(7 * 24 * 3600_000);
    });
  });

  it('reports an intact chain of every entry, searches and exports included', async () => {
    const { body } = await get('/api/v1/audit/chain').expect(200);
    expect(body).toMatchObject({ ok: true, count: await h.entryCount() });
    expect(body.count).toBeGreaterThan(ALL.length);
  });
});
