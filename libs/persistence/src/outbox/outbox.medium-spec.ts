import type { MessagePublisher, OutgoingMessage } from '@verihub/messaging';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../test/medium/test-database';
import { createServiceDataSource, migrateServiceDatabase } from '../data-source';
import { createOutboxMigration, createOutboxTopicIndexMigration } from './outbox-migration';
import { OutboxMessageEntity } from './outbox-message.entity';
import { enqueueOutbox, OutboxRelay } from './outbox';

/** Records each publish call: what a broker would have received, call by call. */
class RecordingPublisher implements Pick<MessagePublisher, 'publish'> {
  readonly calls: OutgoingMessage[][] = [];
  async publish(messages: OutgoingMessage[]): Promise<void> {
    this.calls.push(messages.map((m) => ({ ...m, value: Buffer.from(m.value) })));
  }
}

const BATCH = 'verihub.verification.requested.batch.v1';
const INTERACTIVE = 'verihub.verification.requested.v1';
const message = (topic: string, key: string): OutgoingMessage => ({ topic, key, value: Buffer.from(key) });

describe('OutboxRelay (real PostgreSQL)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = createServiceDataSource({ url: db.url, schema: 'relaytest', entities: [OutboxMessageEntity], migrations: [createOutboxMigration('relaytest', 1796500000000), createOutboxTopicIndexMigration('relaytest', 1796500000001)] });
    await migrateServiceDatabase(dataSource, 'relaytest');
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });
  beforeEach(() => dataSource.query(`DELETE FROM relaytest.outbox`));

  const enqueue = (messages: OutgoingMessage[]) => dataSource.transaction((manager) => enqueueOutbox(manager, messages));

  it('publishes a first topic’s messages ahead of a backlog enqueued before them, each topic and key in its order', async () => {
    await enqueue(Array.from({ length: 30 }, (_, i) => message(BATCH, `b-${i}`)));
    await enqueue([message(INTERACTIVE, 'i-0'), message(INTERACTIVE, 'i-1')]);
    const publisher = new RecordingPublisher();
    const relay = new OutboxRelay(dataSource, publisher as unknown as MessagePublisher, { batchSize: 10, firstTopics: [INTERACTIVE] });

    expect(await relay.drain()).toBe(32);
    expect(publisher.calls[0].slice(0, 2).map((m) => m.key)).toEqual(['i-0', 'i-1']);
    expect(publisher.calls.flat().filter((m) => m.topic === BATCH).map((m) => m.key)).toEqual(Array.from({ length: 30 }, (_, i) => `b-${i}`));
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM relaytest.outbox WHERE published_at IS NULL`);
    expect(n).toBe(0);
  });

  it('without first topics, publishes in the order enqueued', async () => {
    await enqueue([message(BATCH, 'b-0'), message(INTERACTIVE, 'i-0'), message(BATCH, 'b-1')]);
    const publisher = new RecordingPublisher();
    await new OutboxRelay(dataSource, publisher as unknown as MessagePublisher).drain();
    expect(publisher.calls.flat().map((m) => m.key)).toEqual(['b-0', 'i-0', 'b-1']);
  });

  it('hands a batch of rows to `pack` before publishing, and deletes what it published when asked to', async () => {
    await enqueue([message(BATCH, 'b-0'), message(BATCH, 'b-1'), message(INTERACTIVE, 'i-0')]);
    const publisher = new RecordingPublisher();
    const pack = (messages: OutgoingMessage[]): OutgoingMessage[] => [
      ...messages.filter((m) => m.topic !== BATCH),
      { topic: 'verihub.test.packed.v1', key: 'packer', value: Buffer.from(messages.filter((m) => m.topic === BATCH).map((m) => m.key).join(',')) },
    ];
    await new OutboxRelay(dataSource, publisher as unknown as MessagePublisher, { pack, deletePublished: true }).drain();
    expect(publisher.calls).toHaveLength(1);
    expect(publisher.calls[0].map((m) => [m.topic, m.key, m.value.toString()])).toEqual([
      [INTERACTIVE, 'i-0', 'i-0'],
      ['verihub.test.packed.v1', 'packer', 'b-0,b-1'],
    ]);
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM relaytest.outbox`);
    expect(n).toBe(0);
  });
});
