/**
 * executeMany over a real PostgreSQL: a batch of requests gets exactly what execute gives them one by one
 * (answers, refusals, audit events, rows), each request id is answered once however often it comes, and
 * the state costs a constant number of statements per batch. The transport's side (fallback to one at a
 * time, dead letters) is tested in start-adapter.batch.medium-spec.ts.
 */
import type { DataSource } from 'typeorm';
import { auditEventsIn, QueryAnswered, QueryFailed, type QueryRequested, Topics, batchLane, queryAnsweredSignedBytes, queryFailedSignedBytes } from '@verihub/contracts';
import { keysById, parsePrivateKey, parsePublicKey, verifyAnswerSignature } from '@verihub/domain';
import { TEST_IDENTITY_HASH_KEY, testProviderKeyPair, testQueryKeys } from '@verihub/domain/consent/testing/test-keys';
import { MalformedMessageError, type OutgoingMessage } from '@verihub/messaging';
import { createTestDatabase, type TestDatabase } from '../../../test/medium/test-database';
import { AdapterAuditTrail } from './adapter-audit';
import { AnswerQueryUseCase, SourceUnavailableError } from './answer-query.use-case';
import { HandledRequestRepository } from './handled-request.repository';
import { QueryTokenVerifier } from './query-token.verifier';
import { createAdapterStateDataSource, migrateAdapterState } from './start-adapter';
import { LogCapture } from './testing/log-capture';
import { ALICE, BOB, FakeTaxSource, NOW, RecordingPublisher, request } from './testing/tax-requests';

const taxKeys = keysById([parsePublicKey(testProviderKeyPair('tax').publicKey)]);

/** Requests of every kind the adapter meets, by request id: answered, no record, refused three ways, batch lane. */
const KINDS: Array<(id: string) => QueryRequested> = [
  (id) => request(id),
  (id) => request(id, { members: [{ idNumber: ALICE, name: '张三' }], interactive: false }),
  (id) => request(id, { members: [{ idNumber: BOB, name: '李四' }] }),
  (id) => request(id, { authorizations: [] }),
  (id) => request(id, { incomePeriod: { from: '2026-10', to: '2025-11' } }),
  (id) => request(id, { queryToken: '' }),
  (id) => request(id, { program: 'dibao', purpose: 'review', regionCode: '500115' }),
];
const mixed = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => KINDS[i % KINDS.length](`${prefix}-${i}`));

describe('AnswerQueryUseCase.executeMany (PostgreSQL)', () => {
  let db: TestDatabase;
  let state: DataSource;
  let requests: HandledRequestRepository;
  let source: FakeTaxSource;
  let publisher: RecordingPublisher;
  let useCase: AnswerQueryUseCase;
  const logs = new LogCapture();

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAdapterState({ provider: 'tax', databaseUrl: db.url });
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
    // Answers and audit events through one publisher: a batch publishes them all in one call.
    publisher = new RecordingPublisher();
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
      audit: new AdapterAuditTrail('tax', publisher, TEST_IDENTITY_HASH_KEY),
    });
  });

  /**
   * What was published, decoded, with what names the request (ids, event id, signature) replaced by its
   * index: answers and refusals in their order, and the audit events (single or packed) in theirs.
   */
  function published(prefix: string): { messages: unknown[]; audit: unknown[] } {
    const plain = (id: string) => id.replace(new RegExp(`${prefix}-(\\d+)`), 'R$1');
    const audit = publisher.sent.filter((m: OutgoingMessage) => m.topic === Topics.auditEventRecorded || m.topic === Topics.auditEventsRecorded);
    for (const m of audit) for (const secret of [ALICE, BOB, '张三', '李四']) expect(Buffer.from(m.value).toString('utf8')).not.toContain(secret);
    const messages = publisher.sent
      .filter((m: OutgoingMessage) => !audit.includes(m))
      .map((m: OutgoingMessage) => {
        const base = { topic: m.topic, key: plain(m.key) };
        if (m.topic.includes('query-answered')) {
          const answer = QueryAnswered.decode(m.value);
          expect(verifyAnswerSignature(queryAnsweredSignedBytes(answer), answer.signature, taxKeys).ok).toBe(true);
          return { ...base, answer: { ...answer, requestId: plain(answer.requestId), verificationId: plain(answer.verificationId), signature: '' } };
        }
        const failure = QueryFailed.decode(m.value);
        expect(verifyAnswerSignature(queryFailedSignedBytes(failure), failure.signature, taxKeys).ok).toBe(true);
        return { ...base, failure: { ...failure, requestId: plain(failure.requestId), verificationId: plain(failure.verificationId), signature: '' } };
      });
    return { messages, audit: auditEventsIn(audit).map(({ eventId: _, ...event }) => event) };
  }

  async function rows(prefix: string): Promise<unknown[]> {
    return state.query(
      `SELECT regexp_replace(request_id, '^[^-]+-', 'R') AS request, regexp_replace(verification_id, '^ver-[^-]+-', 'R') AS verification,
              provider, deliveries, outcome, answered_at, record_count
       FROM adapter_tax.handled_requests WHERE request_id LIKE $1 ORDER BY split_part(request_id, '-', 2)::int`,
      [`${prefix}-%`],
    );
  }

  /** The state statements `work` sends (every statement TypeORM runs goes through its logger). */
  async function statementsOf<T>(work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
    const spy = jest.spyOn(state.logger, 'logQuery');
    try {
      const result = await work();
      return { result, statements: spy.mock.calls.map(([sql]) => sql.trim().split(/\s+/)[0]) };
    } finally {
      spy.mockRestore();
    }
  }

  it('answers a batch of requests of different verifications exactly as it answers them one by one', async () => {
    const alone = [];
    for (const r of mixed('one', 14)) alone.push(await useCase.execute(r));
    const aloneSent = published('one');
    const aloneLookups = source.queries.splice(0);
    const aloneCalls = publisher.calls.length;
    publisher.sent.splice(0);

    const together = await useCase.executeMany(mixed('many', 14));

    expect(together).toEqual(alone);
    expect(together.map((r) => r.outcome)).toEqual(
      Array.from({ length: 2 }, () => ['answered', 'answered', 'answered', 'unauthorized', 'invalid_request', 'unauthorized', 'answered']).flat(),
    );
    expect(published('many')).toEqual(aloneSent);
    expect(source.queries).toEqual(aloneLookups);
    expect(await rows('many')).toEqual(await rows('one'));
    // One publish for the whole batch (answers, refusals and audit events), two per request alone.
    expect(publisher.calls.length - aloneCalls).toBe(1);
    expect(aloneCalls).toBe(28);
    // The batch-lane request is answered on the batch lane.
    expect(publisher.sent.filter((m) => m.topic === batchLane(Topics.queryAnswered)).map((m) => QueryAnswered.decode(m.value).requestId)).toEqual(['many-1', 'many-8']);
  });

  it('answers a request id once, whether it comes twice in a batch or again in a later batch', async () => {
    const first = await useCase.executeMany([request('dup-a'), request('dup-b'), request('dup-a')]);
    expect(first).toEqual([
      { outcome: 'answered', duplicate: false, recordCount: 1 },
      { outcome: 'answered', duplicate: false, recordCount: 1 },
      { outcome: 'answered', duplicate: true, recordCount: null },
    ]);
    const second = await useCase.executeMany([request('dup-c'), request('dup-a', { authorizations: [] })]);
    expect(second).toEqual([
      { outcome: 'answered', duplicate: false, recordCount: 1 },
      { outcome: 'answered', duplicate: true, recordCount: null },
    ]);
    expect(await useCase.execute(request('dup-b'))).toEqual({ outcome: 'answered', duplicate: true, recordCount: null });

    expect(source.queries).toHaveLength(3);
    const answered = publisher.sent.filter((m) => m.topic === Topics.queryAnswered).map((m) => QueryAnswered.decode(m.value).requestId);
    expect(answered).toEqual(['dup-a', 'dup-b', 'dup-c']);
    expect(auditEventsIn(publisher.sent)).toHaveLength(3);
    const counts = await state.query(`SELECT request_id, deliveries, outcome FROM adapter_tax.handled_requests WHERE request_id LIKE 'dup-%' ORDER BY 1`);
    expect(counts).toEqual([
      { request_id: 'dup-a', deliveries: 3, outcome: 'answered' },
      { request_id: 'dup-b', deliveries: 2, outcome: 'answered' },
      { request_id: 'dup-c', deliveries: 1, outcome: 'answered' },
    ]);
    expect(logs.lines.filter((l) => l.includes('request=dup-a ')).map((l) => l.match(/delivery=\d+/)?.[0])).toEqual(['delivery=1', 'delivery=2', 'delivery=3']);
  });

  it('overlapping batches and a single delivery at once: each request looked up and answered once, no deadlock', async () => {
    source.delayMs = 100;
    const [x, y, z] = ['ovl-x', 'ovl-y', 'ovl-z'].map((id) => request(id));
    const results = await Promise.all([useCase.executeMany([x, y, z]), useCase.executeMany([z, y, x]), useCase.execute(y)]);
    const answeredOnce = results.flat().filter((r) => !r.duplicate);
    expect(answeredOnce).toHaveLength(3);
    expect(source.queries).toHaveLength(3);
    expect(publisher.sent.filter((m) => m.topic === Topics.queryAnswered).map((m) => QueryAnswered.decode(m.value).requestId).sort()).toEqual(['ovl-x', 'ovl-y', 'ovl-z']);
    const counts = await state.query(`SELECT request_id, deliveries FROM adapter_tax.handled_requests WHERE request_id LIKE 'ovl-%' ORDER BY 1`);
    expect(counts).toEqual([
      { request_id: 'ovl-x', deliveries: 2 },
      { request_id: 'ovl-y', deliveries: 3 },
      { request_id: 'ovl-z', deliveries: 2 },
    ]);
  });

  it('a refused request does not hold the others back', async () => {
    const results = await useCase.executeMany([request('ref-1'), request('ref-2', { authorizations: [] }), request('ref-3')]);
    expect(results.map((r) => r.outcome)).toEqual(['answered', 'unauthorized', 'answered']);
    expect(source.queries).toHaveLength(2);
    // The batch's three audit events travel packed in one message.
    expect(publisher.sent.map((m) => m.topic)).toEqual([Topics.queryAnswered, Topics.queryFailed, Topics.queryAnswered, Topics.auditEventsRecorded]);
    expect(auditEventsIn(publisher.sent).map((e) => e.outcome?.status)).toEqual(['answered', 'refused', 'answered']);
  });

  it('a failed lookup fails the whole batch with nothing kept: one at a time, each is then counted and answered as if alone', async () => {
    source.failuresLeft = 1;
    await expect(useCase.executeMany([request('down-1'), request('down-2')])).rejects.toBeInstanceOf(SourceUnavailableError);
    expect(publisher.sent).toEqual([]);
    expect(await state.query(`SELECT 1 FROM adapter_tax.handled_requests WHERE request_id LIKE 'down-%'`)).toEqual([]);

    // What the transport does next: each alone.
    expect(await useCase.execute(request('down-1'))).toMatchObject({ outcome: 'answered', duplicate: false });
    expect(await useCase.execute(request('down-2'))).toMatchObject({ outcome: 'answered', duplicate: false });
    const counts = await state.query(`SELECT request_id, deliveries FROM adapter_tax.handled_requests WHERE request_id LIKE 'down-%' ORDER BY 1`);
    expect(counts).toEqual([
      { request_id: 'down-1', deliveries: 1 },
      { request_id: 'down-2', deliveries: 1 },
    ]);
    expect(logs.text()).not.toContain(ALICE);
  });

  it('a batch holding a request that cannot be answered at all is refused whole, unrecorded, for execute to handle one at a time', async () => {
    await expect(useCase.executeMany([request('mal-1'), request('mal-2', { provider: 'housing' })])).rejects.toBeInstanceOf(MalformedMessageError);
    expect(publisher.sent).toEqual([]);
    expect(source.queries).toEqual([]);
    expect(await state.query(`SELECT 1 FROM adapter_tax.handled_requests WHERE request_id LIKE 'mal-%'`)).toEqual([]);
  });

  it('costs four state statements per batch, however large, where one by one costs five per request', async () => {
    const alone = await statementsOf(async () => {
      for (const r of mixed('cnt1', 10)) await useCase.execute(r);
    });
    expect(alone.statements).toHaveLength(50);
    expect(alone.statements.slice(0, 5)).toEqual(['INSERT', 'START', 'SELECT', 'UPDATE', 'COMMIT']);

    const ten = await statementsOf(() => useCase.executeMany(mixed('cnt10', 10)));
    const fifty = await statementsOf(() => useCase.executeMany(mixed('cnt50', 50)));
    expect(ten.statements).toEqual(['START', 'INSERT', 'UPDATE', 'COMMIT']);
    expect(fifty.statements).toEqual(ten.statements);
    expect(fifty.result.filter((r) => r.outcome === 'answered')).toHaveLength(29);
    expect(await rows('cnt50')).toHaveLength(50);
  });
});
