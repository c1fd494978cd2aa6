import { randomUUID } from 'node:crypto';
import { Logger, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { readDeadLetters } from '../dead-letters';
import { MalformedMessageError, type MessagingConfig, type OutgoingMessage } from '../message';
import { createMessagePublisher } from '../message-publisher.factory';
import { createMessageServer } from '../message-server.factory';
import { BatchInbox, eventually, testBatchConsumerModule } from '../testing/test-consumer';
import { ensureTopics } from '../topics';
import { createKafka } from './kafka-client';

const run = randomUUID().slice(0, 8);
const ANSWERS = `verihub.test-${run}.answers.v1`;
const FAILURES = `verihub.test-${run}.failures.v1`;
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

function configFor(groupId: string): MessagingConfig {
  return {
    transport: 'kafka',
    brokers,
    clientId: `test-${run}`,
    groupId: `verihub-test-${run}-${groupId}`,
    consumer: { retryAttempts: 2, retryInitialDelayMs: 50 },
  };
}

describe('batch handlers (BatchEventPattern) on Kafka', () => {
  const apps: INestMicroservice[] = [];
  const publisher = createMessagePublisher(configFor('publisher'));

  async function startBatchConsumer(groupId: string, maxBatchSize: number, topic = ANSWERS, inbox = new BatchInbox()): Promise<{ app: INestMicroservice; inbox: BatchInbox }> {
    const config = configFor(groupId);
    const app = await NestFactory.createMicroservice(testBatchConsumerModule(config, inbox, topic, maxBatchSize), {
      strategy: createMessageServer(config),
      logger: false,
    });
    await app.listen();
    apps.push(app);
    return { app, inbox };
  }

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    // One partition: the whole topic is one log, so "in log order" is checkable across keys.
    await ensureTopics(configFor('admin'), [ANSWERS, FAILURES], { partitions: 1 });
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await publisher.close();
    const admin = createKafka(configFor('cleanup'), 'cleanup').admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [ANSWERS, FAILURES] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('hands a backlog over in calls of at most maxBatchSize, each message once and in order, and commits them', async () => {
    const messages: OutgoingMessage[] = Array.from({ length: 300 }, (_, i) => ({ topic: ANSWERS, key: `v-${i % 7}`, value: Buffer.from(String(i)) }));
    await publisher.publish(messages);
    const { app, inbox } = await startBatchConsumer('backlog', 50);

    await eventually(() => inbox.handled.length >= 300, 'the 300 messages', 30_000);
    expect(inbox.handled.map((m) => m.value.toString())).toEqual(messages.map((m) => m.value.toString()));
    expect(Math.max(...inbox.calls.map((c) => c.length))).toBe(50);
    expect(inbox.calls.length).toBeLessThan(300 / 5);

    // Committed: the group started again gets nothing it has handled.
    await app.close();
    apps.splice(apps.indexOf(app), 1);
    const again = await startBatchConsumer('backlog', 50);
    await publisher.publish([{ topic: ANSWERS, key: 'v-after', value: Buffer.from('after') }]);
    await eventually(() => again.inbox.handled.length >= 1, 'the new message', 30_000);
    expect(again.inbox.handled.map((m) => m.value.toString())).toEqual(['after']);
  });

  it('dead-letters only the malformed message of a batch; the others are handled', async () => {
    const { inbox } = await startBatchConsumer('malformed', 50, FAILURES);
    inbox.behaviour = (batch) => {
      if (batch.some((m) => m.key === 'v-bad')) throw new MalformedMessageError('answer not signed');
    };
    await publisher.publish([
      { topic: FAILURES, key: 'v-1', value: Buffer.from('one') },
      { topic: FAILURES, key: 'v-bad', value: Buffer.from('bad') },
      { topic: FAILURES, key: 'v-2', value: Buffer.from('two') },
    ]);

    await eventually(() => inbox.handled.length >= 2, 'the good messages', 30_000);
    const letters = (await readDeadLetters(configFor('reader'), { timeoutMs: 30_000 })).filter((l) => l.originalTopic === FAILURES);
    expect(letters.map((l) => [l.key, l.reason, l.value.toString()])).toEqual([['v-bad', 'answer not signed', 'bad']]);
    expect(inbox.handled.map((m) => m.value.toString())).toEqual(['one', 'two']);
  });
});
