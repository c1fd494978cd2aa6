/**
 * An adapter handed its requests in batches by the in-process transport (requests published before it
 * starts arrive as one batch per lane): all answered together, each once; a message that cannot be
 * answered sends the batch back one at a time, so it alone is dead-lettered and audited.
 */
import { auditEventsIn, QueryAnswered, QueryRequested, Topics, batchLane, queryRequestedTopic } from '@verihub/contracts';
import { type DepartmentRecord, makeIdentityNumber, type ProviderDataSource, type ProviderQuery } from '@verihub/domain';
import { testAdapterKeys } from '@verihub/domain/consent/testing/test-keys';
import { inProcessBroker, type MessagingConfig, readDeadLetters, resetInProcessBroker } from '@verihub/messaging';
import { createTestDatabase, type TestDatabase } from '../../../test/medium/test-database';
import type { RunningAdapter } from './adapter-options';
import { migrateAdapterState, startAdapter } from './start-adapter';
import { eventually } from './testing/eventually';
import { LogCapture } from './testing/log-capture';
import { withQueryToken } from './testing/query-tokens';

const PROVIDER = 'housing';
const TOPIC = queryRequestedTopic(PROVIDER);
const OWNER = makeIdentityNumber('500115', '1970-04-12', 51);
const TENANT = makeIdentityNumber('500115', '1988-09-30', 62);

/** Housing data in memory, counting how many lookups it serves at once. */
class InMemoryRegistry implements ProviderDataSource {
  readonly lookups: ProviderQuery[] = [];
  inFlight = 0;
  mostAtOnce = 0;
  async lookup(query: ProviderQuery): Promise<DepartmentRecord[]> {
    this.lookups.push(query);
    this.mostAtOnce = Math.max(this.mostAtOnce, ++this.inFlight);
    await new Promise((r) => setTimeout(r, 5));
    this.inFlight -= 1;
    return query.idNumbers
      .filter((id) => id === OWNER)
      .map((idNumber) => ({
        kind: 'property' as const,
        provider: PROVIDER,
        recordId: `h-${idNumber.slice(-4)}`,
        idNumber,
        certificateNo: '渝(2015)渝北区不动产权第0001号',
        address: '渝北区某路1号',
        use: 'residential' as const,
        floorAreaCentiM2: 8950,
        shareBasisPoints: 10000,
        registeredAt: '2015-06-01',
        status: 'registered' as const,
      }));
  }
}

function authorized(idNumber: string) {
  const now = Date.now();
  return { idNumber, documentRef: `AUTH-${idNumber.slice(-4)}`, signedBy: idNumber, signedAt: new Date(now - 86_400_000).toISOString(), expiresAt: new Date(now + 86_400_000).toISOString() };
}

function requestBytes(requestId: string, overrides: Partial<QueryRequested> = {}): Uint8Array {
  const request = QueryRequested.fromPartial({
    requestId,
    verificationId: `ver-${requestId}`,
    provider: PROVIDER,
    members: [
      { idNumber: OWNER, name: '周七' },
      { idNumber: TENANT, name: '吴八' },
    ],
    incomePeriod: { from: '2025-11', to: '2026-10' },
    assetsAsOf: '2026-11-01',
    authorizations: [authorized(OWNER), authorized(TENANT)],
    ...overrides,
  });
  return QueryRequested.encode(withQueryToken(request, new Date())).finish();
}

const answered = (topic: string) => inProcessBroker().read(topic).map((m) => QueryAnswered.decode(m.value).requestId);
const auditEvents = () => auditEventsIn([...inProcessBroker().read(Topics.auditEventRecorded), ...inProcessBroker().read(Topics.auditEventsRecorded)]);

describe('startAdapter with batches of requests (in-process transport, PostgreSQL)', () => {
  let db: TestDatabase;
  let adapter: RunningAdapter | undefined;
  let registry: InMemoryRegistry;
  const logs = new LogCapture();
  const messaging: MessagingConfig = { transport: 'in-process', brokers: [], clientId: 'adapter-housing-test', groupId: 'verihub-adapter-housing', consumer: { retryInitialDelayMs: 10 } };

  beforeAll(async () => {
    logs.install();
    db = await createTestDatabase();
    await migrateAdapterState({ provider: PROVIDER, databaseUrl: db.url });
  });

  beforeEach(() => {
    resetInProcessBroker();
    registry = new InMemoryRegistry();
  });

  afterEach(async () => {
    await adapter?.close();
    adapter = undefined;
  });

  afterAll(async () => {
    await db?.drop();
    resetInProcessBroker();
    logs.restore();
  });

  const start = async () => {
    adapter = await startAdapter({ provider: PROVIDER, databaseUrl: db.url, messaging, dataSource: () => registry, ...testAdapterKeys(PROVIDER) });
    return adapter;
  };

  it('answers a backlog on both lanes, each request once, looking each lane’s requests up together', async () => {
    const interactive = Array.from({ length: 30 }, (_, i) => `int-${i}`);
    const batch = Array.from({ length: 20 }, (_, i) => `bat-${i}`);
    inProcessBroker().publish([
      ...interactive.map((id) => ({ topic: TOPIC, key: `ver-${id}`, value: requestBytes(id) })),
      // Republished by the aggregator's outbox, and one refused.
      { topic: TOPIC, key: 'ver-int-3', value: requestBytes('int-3') },
      { topic: TOPIC, key: 'ver-int-refused', value: requestBytes('int-refused', { authorizations: [] }) },
      ...batch.map((id) => ({ topic: batchLane(TOPIC), key: `ver-${id}`, value: requestBytes(id) })),
    ]);
    const running = await start();

    await eventually(async () => (await running.stats()).handled === 51 && (await running.stats()).pending === 0, 'every request handled');
    expect(await running.stats()).toMatchObject({ handled: 51, answered: 50, failed: 1, pending: 0, duplicateDeliveries: 1 });
    expect(answered(Topics.queryAnswered).sort()).toEqual([...interactive].sort());
    expect(answered(batchLane(Topics.queryAnswered)).sort()).toEqual([...batch].sort());
    expect(inProcessBroker().read(Topics.queryFailed)).toHaveLength(1);
    expect(registry.lookups).toHaveLength(50);
    // A lane's backlog is one call of the handler: its lookups are all issued at once.
    expect(registry.mostAtOnce).toBeGreaterThanOrEqual(30);
    expect(auditEvents()).toHaveLength(51);
    // Packed: a batch's audit events travel in one message, not one each.
    expect(inProcessBroker().read(Topics.auditEventsRecorded).length).toBeLessThan(10);
    expect(await readDeadLetters(messaging)).toEqual([]);
  });

  it('a message that does not decode or is not for this provider is dead-lettered and audited alone; the rest of its batch is answered once', async () => {
    const good = ['mix-1', 'mix-2', 'mix-3', 'mix-4', 'mix-5', 'mix-6'];
    inProcessBroker().publish([
      ...good.slice(0, 3).map((id) => ({ topic: TOPIC, key: `ver-${id}`, value: requestBytes(id) })),
      { topic: TOPIC, key: 'ver-garbage', value: Buffer.from([0xff, 0xff, 0xff, 0x0f, 0x42]) },
      { topic: TOPIC, key: 'ver-other', value: requestBytes('mix-other', { provider: 'tax' }) },
      ...good.slice(3).map((id) => ({ topic: TOPIC, key: `ver-${id}`, value: requestBytes(id) })),
    ]);
    const running = await start();

    await eventually(async () => (await readDeadLetters(messaging)).length === 2 && answered(Topics.queryAnswered).length === 6, 'two dead letters and six answers');
    const letters = await readDeadLetters(messaging);
    expect(letters.map((d) => [d.key, d.originalOffset])).toEqual([
      ['ver-garbage', '3'],
      ['ver-other', '4'],
    ]);
    expect(letters[0].reason).toMatch(/cannot decode/);
    expect(letters[1].reason).toMatch(/for provider "tax"/);
    expect(answered(Topics.queryAnswered)).toEqual(good);
    expect(await running.stats()).toMatchObject({ handled: 57, pending: 0, duplicateDeliveries: 1 });
    expect(auditEvents().map((e) => e.outcome?.status === 'refused' ? e.dataCategories[0] : e.outcome?.status)).toEqual([
      'answered',
      'answered',
      'answered',
      'undecodable_request',
      'malformed_request',
      'answered',
      'answered',
      'answered',
    ]);
    const text = logs.text();
    expect(text).toMatch(/the batch failed, handling them one at a time/);
    for (const secret of [OWNER, TENANT, '周七', '吴八']) expect(text).not.toContain(secret);
  });
});
