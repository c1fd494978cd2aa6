/**
 * A whole adapter as a department runs it: startAdapter over the in-process transport and a real
 * PostgreSQL (state migrations applied), with an in-memory ProviderDataSource (the port a department implements).
 */
import { QueryAnswered, QueryFailed, QueryFailureCode, QueryRequested, queryRequestedTopic, Topics, batchLane } from '@verihub/contracts';
import { type DepartmentRecord, makeIdentityNumber, maskIdentityNumber, type ProviderDataSource, type ProviderQuery } from '@verihub/domain';
import { inProcessBroker, type MessagingConfig, readDeadLetters, resetInProcessBroker } from '@verihub/messaging';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../test/medium/test-database';
import type { RunningAdapter } from './adapter-options';
import { migrateAdapterState, startAdapter } from './start-adapter';
import { eventually } from './testing/eventually';
import { LogCapture } from './testing/log-capture';
import { withQueryToken } from './testing/query-tokens';
import { testAdapterKeys } from '@verihub/domain/consent/testing/test-keys';

const HOLDER = makeIdentityNumber('500115', '1975-02-03', 31);
const SPOUSE = makeIdentityNumber('500115', '1977-08-19', 42);
const PROVIDER = 'bank:ICBC';
const TOPIC = queryRequestedTopic(PROVIDER);

/** A bank's data in memory: it answers and counts how often it is asked. */
class InMemoryBank implements ProviderDataSource {
  readonly lookups: ProviderQuery[] = [];
  constructor(private readonly records: DepartmentRecord[]) {}
  async lookup(query: ProviderQuery): Promise<DepartmentRecord[]> {
    this.lookups.push(query);
    return this.records.filter((r) => query.idNumbers.includes(r.idNumber));
  }
}

function authorized(idNumber: string) {
  const now = Date.now();
  return {
    idNumber,
    documentRef: `AUTH-${idNumber.slice(-4)}`,
    signedBy: idNumber,
    signedAt: new Date(now - 86_400_000).toISOString(),
    expiresAt: new Date(now + 365 * 86_400_000).toISOString(),
  };
}

function queryRequested(requestId: string, overrides: Partial<QueryRequested> = {}): Uint8Array {
  return QueryRequested.encode(
    withQueryToken(QueryRequested.fromPartial({
      requestId,
      verificationId: `ver-${requestId}`,
      provider: PROVIDER,
      interactive: true,
      members: [
        { idNumber: HOLDER, name: '王五' },
        { idNumber: SPOUSE, name: '赵六' },
      ],
      incomePeriod: { from: '2025-11', to: '2026-10' },
      assetsAsOf: '2026-11-01',
      authorizations: [authorized(HOLDER), authorized(SPOUSE)],
      deadline: new Date(Date.now() + 30_000).toISOString(),
      ...overrides,
    }), new Date()),
  ).finish();
}

function publish(key: string, value: Uint8Array): void {
  inProcessBroker().publish([{ topic: TOPIC, key, value }]);
}

const answers = () => inProcessBroker().read(Topics.queryAnswered).map((m) => QueryAnswered.decode(m.value));
const failures = () => inProcessBroker().read(Topics.queryFailed).map((m) => QueryFailed.decode(m.value));

describe('startAdapter (in-process transport, PostgreSQL)', () => {
  let db: TestDatabase;
  let adapter: RunningAdapter;
  const logs = new LogCapture();
  const bank = new InMemoryBank([
    { kind: 'bank_holding', provider: PROVIDER, recordId: 'icbc-h-1', idNumber: HOLDER, accountNo: '6222000011112222', product: 'time', balanceFen: 3_000_000, asOf: '2026-10-31' },
    { kind: 'bank_interest', provider: PROVIDER, recordId: 'icbc-i-1', idNumber: HOLDER, accountNo: '6222000011112222', period: '2026-06', interestFen: 4500 },
  ]);
  const messaging: MessagingConfig = {
    transport: 'in-process',
    brokers: [],
    clientId: 'adapter-bank-icbc-test',
    groupId: 'verihub-adapter-bank-icbc',
    consumer: { retryInitialDelayMs: 10 },
  };

  beforeAll(async () => {
    logs.install();
    resetInProcessBroker();
    db = await createTestDatabase();
    await migrateAdapterState({ provider: PROVIDER, databaseUrl: db.url });
    adapter = await startAdapter({ provider: PROVIDER, databaseUrl: db.url, messaging, dataSource: () => bank, ...testAdapterKeys(PROVIDER) });
  });

  afterAll(async () => {
    await adapter?.close();
    await db?.drop();
    resetInProcessBroker();
    logs.restore();
  });

  it('consumes its own request topic and keeps its state in adapter_bank_icbc', async () => {
    expect(adapter.topic).toBe('verihub.provider.bank-icbc.query-requested.v1');
    expect(adapter.provider).toBe(PROVIDER);
    expect(await adapter.stats()).toMatchObject({ handled: 0, lastAnsweredAt: null });
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query(`SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema LIKE 'adapter%' ORDER BY 2`);
    await client.end();
    expect(rows).toEqual([
      { table_schema: 'adapter_bank_icbc', table_name: 'handled_requests' },
      { table_schema: 'adapter_bank_icbc', table_name: 'migrations' },
    ]);
  });

  it('answers a request with the records, and a republished request is neither looked up nor answered again', async () => {
    publish('ver-r1', queryRequested('r1'));
    await eventually(() => answers().length === 1, 'the answer');
    const [answer] = answers();
    expect(answer).toMatchObject({ requestId: 'r1', verificationId: 'ver-r1', provider: PROVIDER, notFoundIdNumbers: [SPOUSE] });
    expect(answer.records.map((r) => r.record?.$case)).toEqual(['bankHolding', 'bankInterest']);
    expect(answer.records[0].record).toEqual({
      $case: 'bankHolding',
      value: { accountNo: '6222000011112222', product: 'time', balanceFen: 3_000_000, asOf: '2026-10-31' },
    });
    expect(answer.answeredAt).toMatch(/(Z|[+-]\d{2}:\d{2})$/);
    expect(bank.lookups).toHaveLength(1);
    expect(bank.lookups[0]).toEqual({ provider: PROVIDER, idNumbers: [HOLDER, SPOUSE], incomePeriod: { from: '2025-11', to: '2026-10' }, assetsAsOf: '2026-11-01' });

    // The aggregator's outbox republishes the same request (e.g. it crashed before marking it published).
    publish('ver-r1', queryRequested('r1'));
    publish('ver-r2', queryRequested('r2'));
    await eventually(() => answers().length === 2, 'the answer to r2');
    await eventually(async () => (await adapter.stats()).duplicateDeliveries === 1, 'the duplicate counted');
    expect(answers().map((a) => a.requestId)).toEqual(['r1', 'r2']);
    expect(bank.lookups).toHaveLength(2);
  });

  it('refuses a request without authorization: QueryFailed UNAUTHORIZED, the data source not called', async () => {
    const before = bank.lookups.length;
    publish('ver-r3', queryRequested('r3', { authorizations: [authorized(HOLDER)] }));
    await eventually(() => failures().length === 1, 'the refusal');
    const [failure] = failures();
    expect(failure).toMatchObject({ requestId: 'r3', verificationId: 'ver-r3', provider: PROVIDER, code: QueryFailureCode.QUERY_FAILURE_CODE_UNAUTHORIZED });
    expect(failure.reason).toContain(maskIdentityNumber(SPOUSE));
    expect(failure.reason).not.toContain(SPOUSE);
    expect(bank.lookups).toHaveLength(before);
  });

  it('moves garbage bytes and a request for another provider to the dead-letter topic, and keeps consuming', async () => {
    publish('ver-garbage', Buffer.from([0xff, 0xff, 0xff, 0x0f, 0x42]));
    publish('ver-other', queryRequested('r-other', { provider: 'bank:CCB' }));
    publish('ver-r4', queryRequested('r4'));
    await eventually(async () => (await readDeadLetters(messaging)).length === 2, 'two dead letters');
    const deadLetters = await readDeadLetters(messaging);
    expect(deadLetters.map((d) => [d.key, d.originalTopic])).toEqual([
      ['ver-garbage', TOPIC],
      ['ver-other', TOPIC],
    ]);
    expect(deadLetters[0].reason).toMatch(/cannot decode/);
    expect(deadLetters[1].reason).toMatch(/for provider "bank:CCB"/);
    await eventually(() => answers().some((a) => a.requestId === 'r4'), 'the answer after the dead letters');
  });

  it('reports its counts, and its logs hold masked identity numbers only', async () => {
    // An answer is published just before its request is marked answered (same transaction).
    await eventually(async () => (await adapter.stats()).pending === 0, 'the last request marked');
    expect(await adapter.stats()).toMatchObject({ provider: PROVIDER, handled: 4, answered: 3, failed: 1, pending: 0, duplicateDeliveries: 1 });
    expect((await adapter.stats()).lastAnsweredAt).not.toBeNull();
    const text = logs.text();
    expect(text).toContain(`provider=${PROVIDER}`);
    expect(text).toContain(maskIdentityNumber(HOLDER));
    for (const secret of [HOLDER, SPOUSE, '王五', '赵六']) expect(text).not.toContain(secret);
  });

  it('answers a batch-lane request on the batch lane, whatever the request says of itself', async () => {
    inProcessBroker().publish([{ topic: batchLane(TOPIC), key: 'ver-lane', value: queryRequested('lane-1', { interactive: true }) }]);
    await eventually(() => inProcessBroker().read(batchLane(Topics.queryAnswered)).length === 1, 'the batch-lane answer');
    const [answer] = inProcessBroker().read(batchLane(Topics.queryAnswered)).map((m) => QueryAnswered.decode(m.value));
    expect(answer).toMatchObject({ requestId: 'lane-1', verificationId: 'ver-lane-1', provider: PROVIDER });
    expect(answers().map((a) => a.requestId)).not.toContain('lane-1');
  });
});
