import { randomUUID } from 'node:crypto';
import { Logger, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { readDeadLetters } from '../dead-letters';
import {
  DEAD_LETTER_HEADERS,
  DEAD_LETTER_TOPIC,
  type IncomingMessage,
  MalformedMessageError,
  MessagePublisher,
  type MessagingConfig,
} from '../message';
import { createMessagePublisher } from '../message-publisher.factory';
import { createMessageServer } from '../message-server.factory';
import { eventually, Inbox, testConsumerModule } from '../testing/test-consumer';
import { ensureTopics } from '../topics';
import { KafkaPublisher } from './kafka.publisher';
import { createKafka } from './kafka-client';

const run = randomUUID().slice(0, 8);
const ORDERS = `verihub.test-${run}.orders.v1`;
const AUDIT = `verihub.test-${run}.audit.v1`;
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

function configFor(groupId: string): MessagingConfig {
  return {
    transport: 'kafka',
    brokers,
    clientId: `test-${run}`,
    groupId: `verihub-test-${run}-${groupId}`,
    consumer: { retryAttempts: 3, retryInitialDelayMs: 50, keyConcurrency: 1 },
  };
}

describe('Kafka transport through a NestJS microservice', () => {
  const apps: INestMicroservice[] = [];
  const publisher = createMessagePublisher(configFor('publisher'));

  async function startConsumer(groupId: string, inbox = new Inbox()): Promise<{ app: INestMicroservice; inbox: Inbox }> {
    const config = configFor(groupId);
    const app = await NestFactory.createMicroservice(testConsumerModule(config, inbox, [ORDERS, AUDIT]), {
      strategy: createMessageServer(config),
      logger: false,
    });
    await app.listen();
    apps.push(app);
    return { app, inbox };
  }

  async function deadLettersOf(topic: string): Promise<Awaited<ReturnType<typeof readDeadLetters>>> {
    return (await readDeadLetters(configFor('reader'), { timeoutMs: 30_000 })).filter((l) => l.originalTopic === topic);
  }

  const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

  beforeAll(() => Logger.overrideLogger(['error']));
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await publisher.close();
    const admin = createKafka(configFor('cleanup'), 'cleanup').admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [ORDERS, AUDIT] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates the topics up front (with the dead-letter topic), with the partitions asked for', async () => {
    const created = await ensureTopics(configFor('admin'), [ORDERS, AUDIT], { partitions: 3 });
    expect(created).toEqual(expect.arrayContaining([ORDERS, AUDIT]));
    expect(await ensureTopics(configFor('admin'), [ORDERS, AUDIT])).toEqual([]);

    const admin = createKafka(configFor('admin'), 'admin').admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [ORDERS, AUDIT, DEAD_LETTER_TOPIC] });
      expect(topics.find((t) => t.name === ORDERS)?.partitions).toHaveLength(3);
      expect(topics.map((t) => t.name).sort()).toEqual([ORDERS, AUDIT, DEAD_LETTER_TOPIC].sort());
    } finally {
      await admin.disconnect();
    }
  });

  it('does not create a topic by publishing to it', async () => {
    const missing = `verihub.test-${run}.missing.v1`;
    const strict = new KafkaPublisher(configFor('strict'), { publishTimeoutMs: 3000 });
    try {
      await expect(strict.publish([{ topic: missing, key: 'v-0', value: bytes(0) }])).rejects.toThrow();
    } finally {
      await strict.close();
    }
    const admin = createKafka(configFor('admin'), 'admin').admin();
    await admin.connect();
    try {
      expect(await admin.listTopics()).not.toContain(missing);
    } finally {
      await admin.disconnect();
    }
  });

  it('delivers a message published before the group existed to the @EventPattern handler, intact', async () => {
    await publisher.publish([
      { topic: ORDERS, key: 'v-1', value: bytes(0, 1, 254, 255), headers: { 'content-type': 'application/x-protobuf' } },
    ]);
    const { inbox } = await startConsumer('orders');

    await eventually(() => inbox.received.length === 1, 'the message', 30_000);
    const [{ message }] = inbox.received;
    expect(message).toMatchObject({ topic: ORDERS, key: 'v-1', headers: { 'content-type': 'application/x-protobuf' } });
    expect(Buffer.isBuffer(message.value)).toBe(true);
    expect([...message.value]).toEqual([0, 1, 254, 255]);
    expect(message.partition).toEqual(expect.any(Number));
    expect(message.offset).toMatch(/^\d+$/);
  });

  it('publishes through MessagingModule and commits: a restarted group does not see handled messages again', async () => {
    const first = await startConsumer('restart');
    await first.app.get(MessagePublisher).publish([{ topic: AUDIT, key: 'v-2', value: bytes(2) }]);
    await eventually(() => first.inbox.handled(AUDIT).some((m) => m.key === 'v-2'), 'the message', 30_000);
    await first.app.close();
    apps.splice(apps.indexOf(first.app), 1);

    const again = await startConsumer('restart');
    await publisher.publish([{ topic: AUDIT, key: 'v-3', value: bytes(3) }]);
    await eventually(() => again.inbox.handled(AUDIT).some((m) => m.key === 'v-3'), 'the new message', 30_000);
    expect(again.inbox.handled(AUDIT).map((m) => m.key)).not.toContain('v-2');
  });

  it('gives each consumer group its own copy', async () => {
    const one = await startConsumer('group-one');
    const two = await startConsumer('group-two');
    await publisher.publish([{ topic: AUDIT, key: 'v-4', value: bytes(4) }]);
    await eventually(
      () => [one, two].every((c) => c.inbox.handled(AUDIT).some((m) => m.key === 'v-4')),
      'both groups',
      30_000,
    );
  });

  it('dead-letters a malformed message with its reason and keeps consuming the next one', async () => {
    const { inbox } = await startConsumer('malformed');
    // Both messages have the same key, so the same partition: the second is really the next one.
    const bad = (): IncomingMessage[] => inbox.received.filter((r) => r.message.key === 'v-bad').map((r) => r.message);
    inbox.behaviour.set('v-bad', () => {
      if (bad().length === 1) throw new MalformedMessageError(`cannot decode ${ORDERS}: index out of range`);
    });
    await publisher.publish([
      { topic: ORDERS, key: 'v-bad', value: bytes(0xff, 0xff), headers: { trace: 't-9' } },
      { topic: ORDERS, key: 'v-bad', value: bytes(1, 2) },
    ]);

    await eventually(() => bad().length === 2, 'the next message', 30_000);
    const letters = await deadLettersOf(ORDERS);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ key: 'v-bad', reason: `cannot decode ${ORDERS}: index out of range` });
    expect([...letters[0].value]).toEqual([0xff, 0xff]);
    expect(letters[0].headers).toMatchObject({
      trace: 't-9',
      [DEAD_LETTER_HEADERS.originalTopic]: ORDERS,
      [DEAD_LETTER_HEADERS.originalOffset]: bad()[0].offset,
      [DEAD_LETTER_HEADERS.originalPartition]: String(bad()[0].partition),
    });
  });

  it('tells when it consumes: from its first fetch after joining its group until it closes', async () => {
    const config = configFor('readiness');
    const server = createMessageServer(config);
    expect(server.consumingSince()).toBeNull();
    const app = await NestFactory.createMicroservice(testConsumerModule(config, new Inbox(), [ORDERS, AUDIT]), {
      strategy: server,
      logger: false,
    });
    const listening = Date.now();
    await app.listen();
    apps.push(app);
    await eventually(() => server.consumingSince() !== null, 'the consumer to consume', 30_000);
    expect(server.consumingSince()).toBeGreaterThanOrEqual(listening);
    expect(server.isConsuming()).toBe(true);

    await app.close();
    apps.splice(apps.indexOf(app), 1);
    expect(server.consumingSince()).toBeNull();
  });

  it('keeps its group membership while a handler runs longer than a session (no rebalance, no redelivery)', async () => {
    const config = { ...configFor('slow'), consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 2_000, keyConcurrency: 1 } };
    const inbox = new Inbox();
    let slowHandled = 0;
    inbox.behaviour.set('v-slow', async () => {
      await new Promise((resolve) => setTimeout(resolve, 9_000));
      slowHandled += 1;
    });
    const server = createMessageServer(config);
    const app = await NestFactory.createMicroservice(testConsumerModule(config, inbox, [ORDERS, AUDIT]), { strategy: server, logger: false });
    await app.listen();
    apps.push(app);
    await eventually(() => server.consumingSince() !== null, 'the consumer to consume', 30_000);
    const since = server.consumingSince();

    await publisher.publish([
      { topic: AUDIT, key: 'v-slow', value: bytes(8) },
      { topic: AUDIT, key: 'v-after', value: bytes(9) },
    ]);
    await eventually(() => slowHandled > 0 && inbox.handled(AUDIT).some((m) => m.key === 'v-after'), 'both messages', 40_000);
    // A member dropped for silence would find out now (its commit refused), rejoin and be given v-slow again.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(inbox.received.filter((r) => r.message.key === 'v-slow').map((r) => r.attempt)).toEqual([1]);
    expect(inbox.received.filter((r) => r.message.key === 'v-after')).toHaveLength(1);
    expect(server.consumingSince()).toBe(since);
  });

  it('retries a transient failure until it succeeds, and dead-letters one that keeps failing', async () => {
    const { inbox } = await startConsumer('retries');
    inbox.behaviour.set('v-flaky', (attempt) => {
      if (attempt < 3) throw new Error('database unavailable');
    });
    inbox.behaviour.set('v-broken', () => {
      throw new Error('still broken');
    });
    await publisher.publish([
      { topic: AUDIT, key: 'v-flaky', value: bytes(5) },
      { topic: AUDIT, key: 'v-broken', value: bytes(6) },
      { topic: AUDIT, key: 'v-broken', value: bytes(7) },
    ]);

    const attemptsOf = (key: string): number[] =>
      inbox.received.filter((r) => r.message.key === key).map((r) => r.attempt);
    await eventually(() => attemptsOf('v-flaky').includes(3) && attemptsOf('v-broken').length === 6, 'all attempts', 30_000);
    expect(attemptsOf('v-flaky')).toEqual([1, 2, 3]);
    expect(attemptsOf('v-broken')).toEqual([1, 2, 3, 1, 2, 3]);
    await eventually(async () => (await deadLettersOf(AUDIT)).length === 2, 'two dead letters', 30_000);
    const letters = await deadLettersOf(AUDIT);
    expect(letters.map((l) => [l.key, [...l.value]])).toEqual([
      ['v-broken', [6]],
      ['v-broken', [7]],
    ]);
  });
});
