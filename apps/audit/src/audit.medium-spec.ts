/**
 * The audit service consuming events as it runs: real PostgreSQL with its migrations, the in-process
 * transport, the real handler. The test plays the emitting services.
 */
import { randomUUID } from 'crypto';
import { AuditEventBatch, AuditEventRecorded, Topics, packAuditEvents } from '@verihub/contracts';
import { type ChainedAuditEntry, GENESIS_HASH, keyedIdentityHash, makeIdentityNumber, verifyChain } from '@verihub/domain';
import { DEAD_LETTER_HEADERS, inProcessBroker, resetInProcessBroker } from '@verihub/messaging';
import { type RunningAudit, startAudit } from './audit.app';
import {
  type AuditHarness,
  IDENTITY_HASH_KEY,
  auditEvent,
  eventually,
  publishAuditEvents,
  publishRaw,
  startAuditHarness,
  testMessagingConfig,
} from './testing/audit-harness';

const APPLICANT = makeIdentityNumber('500115', '1980-03-14', 11);
const SPOUSE = makeIdentityNumber('500115', '1982-07-02', 22);
const CASE = '6a1f0000-0000-4000-8000-0000000000c1';

describe('audit service (in-process transport, real PostgreSQL)', () => {
  let h: AuditHarness;

  beforeAll(async () => {
    resetInProcessBroker();
    h = await startAuditHarness();
  });

  afterAll(async () => {
    await h?.close();
    resetInProcessBroker();
  });

  /** The whole log, as the chain holds it. */
  const chain = async (): Promise<ChainedAuditEntry[]> =>
    (
      await h.sql.query(
        `SELECT sequence::int, event_id, occurred_at, recorded_at, source_service, actor_username, actor_role, actor_region,
                actor_organisation, action, verification_id, program, purpose, region_code, authorization_refs, provider,
                subject_hashes, subjects_masked, data_categories, outcome_status, record_count, latency_ms, previous_hash, entry_hash
           FROM audit.entries ORDER BY sequence`,
      )
    ).rows.map((r) => ({
      sequence: r.sequence,
      eventId: r.event_id,
      occurredAt: r.occurred_at.toISOString(),
      recordedAt: r.recorded_at.toISOString(),
      sourceService: r.source_service,
      actorUsername: r.actor_username,
      actorRole: r.actor_role,
      actorRegion: r.actor_region,
      actorOrganisation: r.actor_organisation,
      action: r.action,
      verificationId: r.verification_id,
      program: r.program,
      purpose: r.purpose,
      caseRegion: r.region_code,
      authorizationRefs: r.authorization_refs,
      provider: r.provider,
      subjectHashes: r.subject_hashes,
      subjectsMasked: r.subjects_masked,
      dataCategories: r.data_categories,
      outcomeStatus: r.outcome_status,
      recordCount: r.record_count,
      latencyMs: r.latency_ms,
      previousHash: r.previous_hash,
      entryHash: r.entry_hash,
    }));

  const deadLetters = () => inProcessBroker().read(Topics.deadLetter);

  it('appends a case’s events in order, each chained to the one before, with what happened but no values', async () => {
    const caseRef = { verificationId: CASE, program: 'dibao', purpose: 'application', regionCode: '500115', authorizationRefs: ['AUTH-2026-000120', 'AUTH-2026-000121'] };
    const events = [
      auditEvent({ action: 'verification_created', case: caseRef, idNumbers: [APPLICANT, SPOUSE], outcome: { status: 'succeeded' } }),
      auditEvent({
        action: 'provider_query_sent',
        sourceService: 'aggregator',
        case: caseRef,
        idNumbers: [APPLICANT, SPOUSE],
        provider: 'tax',
        dataCategories: ['income'],
        occurredAt: '2026-11-02T10:00:01+08:00',
      }),
      auditEvent({
        action: 'provider_answer_received',
        sourceService: 'aggregator',
        case: caseRef,
        idNumbers: [APPLICANT, SPOUSE],
        provider: 'tax',
        dataCategories: ['income'],
        outcome: { status: 'answered', recordCount: 3 },
        latencyMs: 182,
        occurredAt: '2026-11-02T10:00:02.5+08:00',
      }),
      auditEvent({ action: 'report_read', case: caseRef, idNumbers: [APPLICANT, SPOUSE], dataCategories: ['report'], occurredAt: '2026-11-02T10:05:00+08:00' }),
    ];
    publishAuditEvents(...events);
    await h.untilEntries(4);

    const entries = await chain();
    expect(entries.map((e) => [e.sequence, e.action, e.eventId])).toEqual(events.map((e, i) => [i + 1, e.action, e.eventId]));
    expect(verifyChain(entries)).toEqual({ ok: true, count: 4, lastSequence: 4, headHash: entries[3].entryHash });
    expect(entries[0].previousHash).toBe(GENESIS_HASH);
    expect(entries[2]).toMatchObject({
      occurredAt: '2026-11-02T02:00:02.500Z',
      sourceService: 'aggregator',
      actorUsername: 'officer',
      actorRole: 'officer',
      actorRegion: '500115',
      actorOrganisation: null,
      verificationId: CASE,
      program: 'dibao',
      purpose: 'application',
      caseRegion: '500115',
      authorizationRefs: ['AUTH-2026-000120', 'AUTH-2026-000121'],
      provider: 'tax',
      subjectHashes: [keyedIdentityHash(APPLICANT, IDENTITY_HASH_KEY), keyedIdentityHash(SPOUSE, IDENTITY_HASH_KEY)],
      subjectsMasked: ['500115********' + APPLICANT.slice(-4), '500115********' + SPOUSE.slice(-4)],
      dataCategories: ['income'],
      outcomeStatus: 'answered',
      recordCount: 3,
      latencyMs: 182,
    });
    const stored = JSON.stringify(entries);
    expect(stored).not.toContain(APPLICANT);
    expect(stored).not.toContain(SPOUSE);
  });

  it('records a redelivered event once', async () => {
    const before = await h.entryCount();
    const event = auditEvent({ action: 'login_succeeded', actor: { username: 'reviewer', role: 'reviewer', regionCode: '500115' } });
    publishAuditEvents(event, event);
    publishAuditEvents(event);
    await h.untilEntries(before + 1);
    const marker = auditEvent({ action: 'login_failed' });
    publishAuditEvents(marker);
    await h.untilEntries(before + 2);
    const rows = (await h.sql.query(`SELECT event_id FROM audit.entries WHERE sequence > $1 ORDER BY sequence`, [before])).rows;
    expect(rows.map((r) => r.event_id)).toEqual([event.eventId, marker.eventId]);
    expect(verifyChain(await chain()).ok).toBe(true);
  });

  it('appends a burst from many cases in a few transactions: each event once, every case in order, the chain intact', async () => {
    const before = await h.entryCount();
    const cases = Array.from({ length: 40 }, () => randomUUID());
    // 10 events a case, interleaved as services emit them; one event sent twice within the burst.
    const events = Array.from({ length: 400 }, (_, i) =>
      auditEvent({ action: 'provider_query_sent', provider: 'tax', case: { verificationId: cases[i % 40], program: 'dibao', purpose: 'application', regionCode: '500115', authorizationRefs: ['AUTH-2026-000120'] }, occurredAt: `2026-11-03T10:${String(Math.floor(i / 40)).padStart(2, '0')}:00+08:00` }),
    );
    publishAuditEvents(...events, events[7]);
    await h.untilEntries(before + 400);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await h.entryCount()).toBe(before + 400);

    const rows = (await h.sql.query(`SELECT event_id, verification_id, xmin::text AS tx FROM audit.entries WHERE sequence > $1 ORDER BY sequence`, [before])).rows;
    expect(rows.map((r) => r.event_id)).toEqual(events.map((e) => e.eventId));
    // One transaction (one chain lock) for many appends: the rows share their inserting transaction.
    expect(new Set(rows.map((r) => r.tx)).size).toBeLessThanOrEqual(4);
    expect(verifyChain(await chain())).toMatchObject({ ok: true, count: before + 400 });
  });

  it('dead-letters the one invalid event of a burst and records every other one', async () => {
    const before = await h.entryCount();
    const good = Array.from({ length: 20 }, () => auditEvent({ action: 'report_read' }));
    const bad = auditEvent({ subjects: [{ idHash: 'b'.repeat(64), idMasked: APPLICANT }] });
    publishAuditEvents(...good.slice(0, 10), bad, ...good.slice(10));
    await h.untilEntries(before + 20);
    const letter = await eventually('a dead letter', () => deadLetters().find((m) => m.key === bad.eventId));
    expect(letter.headers[DEAD_LETTER_HEADERS.reason]).toMatch(/id_masked must be a masked identity number/);
    const rows = (await h.sql.query(`SELECT event_id FROM audit.entries WHERE sequence > $1 ORDER BY sequence`, [before])).rows;
    expect(rows.map((r) => r.event_id)).toEqual(good.map((e) => e.eventId));
    expect(verifyChain(await chain()).ok).toBe(true);
  });

  it('appends the events of packed messages (AuditEventBatch) in their order, beside single ones', async () => {
    const before = await h.entryCount();
    const packed = Array.from({ length: 5 }, () => auditEvent({ action: 'report_read' }));
    const single = auditEvent({ action: 'login_succeeded' });
    const gatewayFlush = packAuditEvents(packed.map((e) => ({ topic: Topics.auditEventRecorded, key: e.eventId, value: AuditEventRecorded.encode(e).finish() })), 'gateway');
    expect(gatewayFlush.map((m) => m.topic)).toEqual([Topics.auditEventsRecorded]);
    inProcessBroker().publish(gatewayFlush);
    publishAuditEvents(single);
    await h.untilEntries(before + 6);
    const rows = (await h.sql.query(`SELECT event_id FROM audit.entries WHERE sequence > $1 ORDER BY sequence`, [before])).rows;
    expect(rows.map((r) => r.event_id).filter((id) => id !== single.eventId)).toEqual(packed.map((e) => e.eventId));
    expect(verifyChain(await chain()).ok).toBe(true);
  });

  it('dead-letters a packed message with an invalid event whole, naming the event by its index, and records none of it', async () => {
    const before = await h.entryCount();
    const events = [auditEvent({ action: 'report_read' }), auditEvent({ subjects: [{ idHash: 'c'.repeat(64), idMasked: SPOUSE }] }), auditEvent({ action: 'report_read' })];
    const key = `gateway-${randomUUID()}`;
    inProcessBroker().publish([{ topic: Topics.auditEventsRecorded, key, value: AuditEventBatch.encode({ events }).finish() }]);
    const marker = auditEvent({ action: 'login_failed' });
    publishAuditEvents(marker);

    const letter = await eventually('a dead letter', () => deadLetters().find((m) => m.key === key));
    expect(letter.headers[DEAD_LETTER_HEADERS.reason]).toMatch(/^invalid_audit_event: events\[1\]: subjects\[0\]\.id_masked must be a masked identity number/);
    expect(letter.headers[DEAD_LETTER_HEADERS.reason]).not.toContain(SPOUSE);
    await h.untilEntries(before + 1);
    const rows = (await h.sql.query(`SELECT event_id FROM audit.entries WHERE sequence > $1`, [before])).rows;
    expect(rows.map((r) => r.event_id)).toEqual([marker.eventId]);
  });

  it('dead-letters bytes that are not an audit event, and records nothing', async () => {
    const before = await h.entryCount();
    const key = randomUUID();
    publishRaw(key, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]));
    const letter = await eventually('a dead letter', () => deadLetters().find((m) => m.key === key));
    expect(letter.headers[DEAD_LETTER_HEADERS.reason]).toMatch(/^cannot decode verihub\.audit\.event-recorded\.v1/);
    expect(letter.headers[DEAD_LETTER_HEADERS.originalTopic]).toBe(Topics.auditEventRecorded);
    expect(await h.entryCount()).toBe(before);
  });

  it.each<[string, Parameters<typeof auditEvent>[0], RegExp]>([
    ['a raw identity number as the masked form', { subjects: [{ idHash: 'a'.repeat(64), idMasked: APPLICANT }] }, /subjects\[0\]\.id_masked must be a masked identity number/],
    ['a raw identity number in a free text', { actor: { username: `user-${APPLICANT}`, role: 'officer' } }, /actor\.username holds what looks like a raw identity number/],
    ['an unknown action', { action: 'data_sold' }, /action is not one of the audit actions/],
    ['no event id', { eventId: '' }, /event_id must be a uuid/],
    ['a time without offset', { occurredAt: '2026-11-02T10:00:00' }, /occurred_at must be ISO 8601 with an offset/],
    ['no actor', { actor: undefined }, /actor\.username is required/],
  ])('dead-letters an event with %s, naming the problem but never the value', async (_, patch, reason) => {
    const before = await h.entryCount();
    const event = auditEvent({ ...patch });
    const key = randomUUID();
    publishRaw(key, AuditEventRecorded.encode(event).finish());
    const letter = await eventually('a dead letter', () => deadLetters().find((m) => m.key === key));
    expect(letter.headers[DEAD_LETTER_HEADERS.reason]).toMatch(/^invalid_audit_event: /);
    expect(letter.headers[DEAD_LETTER_HEADERS.reason]).toMatch(reason);
    expect(letter.headers[DEAD_LETTER_HEADERS.reason]).not.toContain(APPLICANT);
    expect(await h.entryCount()).toBe(before);
  });

  it('keeps one linear chain when two audit service instances append at once', async () => {
    // A second instance on the same database in its own consumer group: every event reaches both.
    let second: RunningAudit | undefined;
    try {
      second = await startAudit({
        databaseUrl: h.db.url,
        messaging: testMessagingConfig('verihub-audit-second'),
        port: 0,
        host: '127.0.0.1',
        jwtSecret: h.jwtSecret,
        identityHashKey: IDENTITY_HASH_KEY,
        poolSize: 4,
        logger: false,
      });
      const before = await h.entryCount();
      const events = Array.from({ length: 30 }, (_, i) => auditEvent({ action: 'report_read', occurredAt: `2026-11-03T10:00:${String(i).padStart(2, '0')}+08:00` }));
      publishAuditEvents(...events);
      await h.untilEntries(before + 30);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await h.entryCount()).toBe(before + 30);
      const entries = await chain();
      expect(verifyChain(entries)).toMatchObject({ ok: true, count: before + 30 });
      expect(new Set(entries.map((e) => e.eventId)).size).toBe(entries.length);
    } finally {
      await second?.close();
    }
  });

  it('logs sequences and actions, never who was looked up', () => {
    const logged = h.logger.lines.join('\n');
    expect(logged).not.toContain(APPLICANT);
    expect(logged).not.toContain(SPOUSE);
    expect(logged).not.toContain(keyedIdentityHash(APPLICANT, IDENTITY_HASH_KEY));
  });
});
