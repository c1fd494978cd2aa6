/**
 * The use case over a real PostgreSQL (adapter state migrations applied): idempotency under duplicate and
 * concurrent deliveries, retries of a failing data source, and the persisted stats. Messages are captured
 * by a recording MessagePublisher; the whole adapter over a transport is tested in start-adapter.medium-spec.ts.
 */
import type { DataSource } from 'typeorm';
import { AuditEventRecorded, QueryAnswered, QueryFailed, QueryFailureCode, QueryRequested, Topics, queryAnsweredSignedBytes, queryFailedSignedBytes } from '@verihub/contracts';
import { auditSubjectOf, generateSigningKeyPair, keysById, makeIdentityNumber, parsePrivateKey, parsePublicKey, verifyAnswerSignature } from '@verihub/domain';
import { TEST_IDENTITY_HASH_KEY, testProviderKeyPair, testQueryKeys } from '@verihub/domain/consent/testing/test-keys';
import { decodeMessage, type IncomingMessage, MalformedMessageError } from '@verihub/messaging';
import { pendingSchemaChanges } from '@verihub/persistence';
import { createTestDatabase, type TestDatabase } from '../../../test/medium/test-database';
import { AdapterAuditTrail } from './adapter-audit';
import { AnswerQueryUseCase } from './answer-query.use-case';
import { HandledRequestRepository } from './handled-request.repository';
import { QueryTokenVerifier } from './query-token.verifier';
import { createAdapterStateDataSource, migrateAdapterState } from './start-adapter';
import { LogCapture } from './testing/log-capture';
import { queryTokenFor } from './testing/query-tokens';
import { ALICE, BOB, FakeTaxSource, NOW, RecordingPublisher, request, unsignedRequest } from './testing/tax-requests';

const taxKeys = keysById([parsePublicKey(testProviderKeyPair('tax').publicKey)]);

/** The token with its payload changed (the signature left as it was). */
function editPayload(token: string, patch: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  return `${header}.${Buffer.from(JSON.stringify({ ...claims, ...patch })).toString('base64url')}.${signature}`;
}

describe('AnswerQueryUseCase (PostgreSQL)', () => {
  let db: TestDatabase;
  let state: DataSource;
  let source: FakeTaxSource;
  let publisher: RecordingPublisher;
  let auditPublisher: RecordingPublisher;
  let useCase: AnswerQueryUseCase;
  let requests: HandledRequestRepository;
  const logs = new LogCapture();

  beforeAll(async () => {
    db = await createTestDatabase();
    expect(await migrateAdapterState({ provider: 'tax', databaseUrl: db.url })).toEqual(['CreateHandledRequests1763900000000']);
    expect(await migrateAdapterState({ provider: 'tax', databaseUrl: db.url })).toEqual([]);
    state = createAdapterStateDataSource({ provider: 'tax', databaseUrl: db.url });
    await state.initialize();
    requests = new HandledRequestRepository(state);
    logs.install();
  });

  afterAll(async () => {
    logs.restore();
    await state?.destroy();
    await db?.drop();
  });

  beforeEach(() => {
    source = new FakeTaxSource();
    publisher = new RecordingPublisher();
    auditPublisher = new RecordingPublisher();
    useCase = new AnswerQueryUseCase({
      provider: 'tax',
      dataSource: source,
      requests,
      publisher,
      queryTokens: new QueryTokenVerifier(parsePublicKey(testQueryKeys().publicKey), TEST_IDENTITY_HASH_KEY),
      answerSigningKey: parsePrivateKey(testProviderKeyPair('tax').privateKey),
      verifiers: [],
      maxDeliveries: 3,
      clock: () => NOW,
      audit: new AdapterAuditTrail('tax', auditPublisher, TEST_IDENTITY_HASH_KEY),
    });
  });

  /** The audit events published, decoded; the raw bytes never hold an identity number or a name. */
  function auditEvents(): AuditEventRecorded[] {
    return auditPublisher.sent.map((m) => {
      expect(m.topic).toBe(Topics.auditEventRecorded);
      const bytes = Buffer.from(m.value).toString('utf8');
      for (const secret of [ALICE, BOB, stranger, '张三', '李四', '王五']) expect(bytes).not.toContain(secret);
      return AuditEventRecorded.decode(m.value);
    });
  }

  it('the migrations describe the entity exactly (no drift)', async () => {
    expect(await pendingSchemaChanges(state)).toEqual([]);
  });

  it('answers once, and a duplicate delivery looks nothing up and publishes nothing', async () => {
    const first = await useCase.execute(request('r-dup'));
    expect(first).toEqual({ outcome: 'answered', duplicate: false, recordCount: 1 });
    expect(source.queries).toEqual([{ provider: 'tax', idNumbers: [ALICE, BOB], incomePeriod: { from: '2025-11', to: '2026-10' }, assetsAsOf: '2026-11-01' }]);
    expect(publisher.sent).toHaveLength(1);
    expect(publisher.sent[0].topic).toBe(Topics.queryAnswered);
    expect(publisher.sent[0].key).toBe('ver-r-dup');
    const answer = QueryAnswered.decode(publisher.sent[0].value);
    expect(answer.records.map((r) => r.recordId)).toEqual([`tax-${ALICE.slice(-4)}-2026-03`]);
    expect(answer.records[0].record).toEqual({
      $case: 'income',
      value: { period: '2026-03', item: 'wage', incomeFen: 650000, taxFen: 1500, withholder: '重庆某某有限公司' },
    });
    expect(answer.notFoundIdNumbers).toEqual([BOB]);
    expect(answer.answeredAt).toBe(NOW.toISOString());
    // Signed by the adapter's key over the message with the signature field empty.
    expect(verifyAnswerSignature(queryAnsweredSignedBytes(answer), answer.signature, taxKeys)).toEqual({ ok: true, keyId: testProviderKeyPair('tax').keyId });

    expect(await useCase.execute(request('r-dup'))).toEqual({ outcome: 'answered', duplicate: true, recordCount: null });
    expect(source.queries).toHaveLength(1);
    expect(publisher.sent).toHaveLength(1);
    // One audit event for the answer, none for the duplicate delivery.
    expect(auditEvents()).toEqual([
      expect.objectContaining({
        sourceService: 'adapter-tax',
        actor: { username: 'provider:tax', role: 'system', regionCode: '', organisation: 'tax' },
        action: 'provider_answer_received',
        provider: 'tax',
        subjects: [auditSubjectOf(ALICE, TEST_IDENTITY_HASH_KEY), auditSubjectOf(BOB, TEST_IDENTITY_HASH_KEY)],
        dataCategories: ['income'],
        outcome: { status: 'answered', recordCount: 1 },
      }),
    ]);

    const rows = await state.query(`SELECT deliveries, outcome, record_count FROM adapter_tax.handled_requests WHERE request_id = 'r-dup'`);
    expect(rows).toEqual([{ deliveries: 2, outcome: 'answered', record_count: 1 }]);
  });

  it('two concurrent deliveries of one request reach the data source once', async () => {
    source.delayMs = 200;
    const results = await Promise.all([useCase.execute(request('r-concurrent')), useCase.execute(request('r-concurrent'))]);
    expect(results.map((r) => r.duplicate).sort()).toEqual([false, true]);
    expect(source.queries).toHaveLength(1);
    expect(publisher.sent).toHaveLength(1);
  });

  it('refuses a request without authorization without calling the data source, once', async () => {
    const req = request('r-unauth', { authorizations: [] });
    expect((await useCase.execute(req)).outcome).toBe('unauthorized');
    expect(await useCase.execute(req)).toMatchObject({ outcome: 'unauthorized', duplicate: true });
    expect(source.queries).toHaveLength(0);
    expect(publisher.sent).toHaveLength(1);
    const failure = QueryFailed.decode(publisher.sent[0].value);
    expect(publisher.sent[0].topic).toBe(Topics.queryFailed);
    expect(failure.code).toBe(QueryFailureCode.QUERY_FAILURE_CODE_UNAUTHORIZED);
    expect(failure.reason).not.toContain(ALICE);
    expect(verifyAnswerSignature(queryFailedSignedBytes(failure), failure.signature, taxKeys).ok).toBe(true);
    expect(auditEvents().map((e) => [e.outcome, e.dataCategories])).toEqual([[{ status: 'refused' }, ['authorization_missing']]]);
  });

  const stranger = makeIdentityNumber('110105', '1949-12-31', 2);
  it.each<[string, (id: string) => QueryRequested, RegExp, string]>([
    ['no token', (id) => request(id, { queryToken: '' }), /query token missing/, 'query_token_missing'],
    ['a token for another provider', (id) => ({ ...request(id), queryToken: queryTokenFor({ ...unsignedRequest(id), provider: 'housing' }, NOW) }), /query token wrong provider/, 'query_token_mismatch'],
    ['a token for another request', (id) => ({ ...request(id), queryToken: queryTokenFor({ ...unsignedRequest(id), requestId: 'r-other-request' }, NOW) }), /query token wrong request/, 'query_token_mismatch'],
    [
      'a token for other members',
      (id) => ({ ...request(id), queryToken: queryTokenFor(unsignedRequest(id, { members: [{ idNumber: ALICE, name: '张三' }, { idNumber: stranger, name: '王五' }] }), NOW) }),
      /query token members differ/,
      'query_token_mismatch',
    ],
    ['a forged token (signed by a key the adapter does not trust)', (id) => ({ ...request(id), queryToken: queryTokenFor(unsignedRequest(id), NOW, { signingKey: generateSigningKeyPair().privateKey }) }), /query token unknown key/, 'query_token_forged'],
    ['an edited token', (id) => ({ ...request(id), queryToken: editPayload(queryTokenFor(unsignedRequest(id), NOW), { exp: 4_000_000_000 }) }), /query token bad signature/, 'query_token_forged'],
    ['an expired token', (id) => ({ ...request(id), queryToken: queryTokenFor(unsignedRequest(id), new Date(NOW.getTime() - 3_600_000)) }), /query token expired/, 'query_token_expired'],
  ])('refuses a request with %s: QueryFailed UNAUTHORIZED, signed, no lookup, and an audit event', async (what, build, reason, category) => {
    const id = `r-token-${what.replace(/\W+/g, '-')}`;
    const result = await useCase.execute(build(id));
    expect(result).toEqual({ outcome: 'unauthorized', duplicate: false, recordCount: null });
    expect(source.queries).toHaveLength(0);
    expect(publisher.sent.map((m) => m.topic)).toEqual([Topics.queryFailed]);
    const failure = QueryFailed.decode(publisher.sent[0].value);
    expect(failure).toMatchObject({ requestId: id, code: QueryFailureCode.QUERY_FAILURE_CODE_UNAUTHORIZED });
    expect(failure.reason).toMatch(reason);
    expect(verifyAnswerSignature(queryFailedSignedBytes(failure), failure.signature, taxKeys).ok).toBe(true);
    const [event, ...more] = auditEvents();
    expect(more).toEqual([]);
    expect(event).toMatchObject({ actor: { username: 'provider:tax' }, provider: 'tax', outcome: { status: 'refused' }, dataCategories: [category] });
    expect(event.outcome?.recordCount).toBeUndefined();
  });

  it('throws back to the transport while the source fails, then answers SOURCE_UNAVAILABLE on the last attempt', async () => {
    source.failuresLeft = 10;
    const req = request('r-down');
    await expect(useCase.execute(req)).rejects.toThrow(/attempt 1/);
    await expect(useCase.execute(req)).rejects.toThrow(/attempt 2/);
    expect(publisher.sent).toHaveLength(0);
    expect(await useCase.execute(req)).toMatchObject({ outcome: 'source_unavailable', duplicate: false });
    expect(source.queries).toHaveLength(3);
    const failure = QueryFailed.decode(publisher.sent[0].value);
    expect(failure.code).toBe(QueryFailureCode.QUERY_FAILURE_CODE_SOURCE_UNAVAILABLE);
    expect(failure.reason).toMatch(/after 3 attempts/);
    expect(failure.reason).not.toContain(ALICE);
    expect(auditEvents().map((e) => [e.outcome, e.dataCategories])).toEqual([[{ status: 'failed' }, ['source_unavailable']]]);
    // and then never again
    expect(await useCase.execute(req)).toMatchObject({ duplicate: true });
    expect(source.queries).toHaveLength(3);
  });

  it('recovers when the source comes back before the last attempt', async () => {
    source.failuresLeft = 1;
    await expect(useCase.execute(request('r-flaky'))).rejects.toThrow();
    expect(await useCase.execute(request('r-flaky'))).toMatchObject({ outcome: 'answered', recordCount: 1 });
    expect(QueryAnswered.decode(publisher.sent[0].value).requestId).toBe('r-flaky');
  });

  it('a request for another provider is malformed and leaves no trace', async () => {
    await expect(useCase.execute(request('r-other', { provider: 'housing' }))).rejects.toBeInstanceOf(MalformedMessageError);
    const rows = await state.query(`SELECT 1 FROM adapter_tax.handled_requests WHERE request_id = 'r-other'`);
    expect(rows).toEqual([]);
    // ...but for the audit log: refused, malformed.
    expect(auditEvents().map((e) => [e.outcome, e.dataCategories])).toEqual([[{ status: 'refused' }, ['malformed_request']]]);
  });

  it('records the case of a request in its audit event: verification, programme, purpose, region, authorization references', async () => {
    const verificationId = '2f1d7c52-8a43-4e0b-9d54-8f1f7e0c1a11';
    await useCase.execute(request('r-case', { verificationId, program: 'dibao', purpose: 'application', regionCode: '500115' }));
    const [event] = auditEvents();
    expect(event.case).toEqual({
      verificationId,
      program: 'dibao',
      purpose: 'application',
      regionCode: '500115',
      authorizationRefs: [`AUTH-${ALICE.slice(-4)}`, `AUTH-${BOB.slice(-4)}`],
    });
    expect(auditPublisher.sent[0].key).toBe(verificationId);
    // The event id is derived from the request: a redelivery after a crash re-publishes the same id (recorded once).
    const again = new AdapterAuditTrail('tax', auditPublisher, TEST_IDENTITY_HASH_KEY).messageOf(request('r-case', { verificationId }), { status: 'answered', recordCount: 1 }, NOW);
    expect(AuditEventRecorded.decode(again.value).eventId).toBe(event.eventId);
    expect(event.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('an intruder’s free text (programme, region, references shaped like identity numbers) is left out of the audit event, not echoed', async () => {
    const req = request('r-intruder', {
      verificationId: `ver-${ALICE}`,
      program: `dibao ${ALICE}`,
      purpose: '<script>',
      regionCode: ALICE,
      authorizations: [{ idNumber: ALICE, documentRef: ALICE, signedBy: ALICE, signedAt: '2026-10-30T09:00:00+08:00', expiresAt: '2027-10-30T09:00:00+08:00' }],
      queryToken: 'not-a-token',
    });
    expect((await useCase.execute(req)).outcome).toBe('unauthorized');
    const [event] = auditEvents();
    expect(event.case).toEqual({ verificationId: '', program: '', purpose: '', regionCode: '', authorizationRefs: [] });
    expect(event.dataCategories).toEqual(['authorization_missing']);
  });

  it('a message that does not decode is recorded as refused (undecodable_request), then dead-lettered', async () => {
    const audit = new AdapterAuditTrail('tax', auditPublisher, TEST_IDENTITY_HASH_KEY);
    const garbage: IncomingMessage = { topic: 'verihub.provider.tax.query-requested.v1', key: 'k', value: Buffer.from([0xff, 0xff, 0xff, 0x01]), headers: {} };
    await expect(audit.decode(() => decodeMessage(garbage, QueryRequested), NOW)).rejects.toBeInstanceOf(MalformedMessageError);
    const [event] = auditEvents();
    expect(event).toMatchObject({ actor: { username: 'provider:tax' }, outcome: { status: 'refused' }, dataCategories: ['undecodable_request'], subjects: [] });
    expect(event.case).toBeUndefined();
    expect(event.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('counts what it handled, and logs masked identity numbers only', async () => {
    const stats = await requests.stats('tax');
    expect(stats).toEqual({
      provider: 'tax',
      handled: 5 + 7 + 2,
      answered: 3 + 1,
      failed: 2 + 7 + 1,
      pending: 0,
      duplicateDeliveries: 1 + 1 + 1 + 1 + 2 + 1,
      lastAnsweredAt: NOW.toISOString(),
    });
    const all = logs.text();
    expect(all).toContain('500115********');
    for (const secret of [ALICE, BOB, '张三', '李四']) expect(all).not.toContain(secret);
    expect(logs.lines.find((l) => l.includes('request=r-dup ') && l.includes('outcome=answered'))).toMatch(
      /verification=ver-r-dup .*provider=tax members=2 ids=\[500115\*+\d{3}[\dX],500115\*+\d{3}[\dX]\] records=1 outcome=answered .*latency=\d+ms/,
    );
  });
});
