import { Logger, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { readDeadLetters } from '../dead-letters';
import { type IncomingMessage, MalformedMessageError, type MessagingConfig, type OutgoingMessage } from '../message';
import { createMessageServer } from '../message-server.factory';
import { BatchInbox, eventually, testBatchConsumerModule } from '../testing/test-consumer';
import { inProcessBroker, resetInProcessBroker } from './in-process.broker';

const ANSWERS = 'verihub.test.answers.v1';

function configFor(groupId: string): MessagingConfig {
  return { transport: 'in-process', brokers: [], clientId: groupId, groupId, consumer: { retryAttempts: 3, retryInitialDelayMs: 10 } };
}

/** `count` messages over `keys` keys, interleaved, each value naming its key and its place in that key's order. */
function interleaved(count: number, keys: number): OutgoingMessage[] {
  return Array.from({ length: count }, (_, i) => ({ topic: ANSWERS, key: `v-${i % keys}`, value: Buffer.from(`v-${i % keys}#${Math.floor(i / keys)}`) }));
}

const text = (m: IncomingMessage): string => m.value.toString('utf8');

describe('batch handlers (BatchEventPattern) on the in-process transport', () => {
  const apps: INestMicroservice[] = [];

  async function startBatchConsumer(maxBatchSize: number, inbox = new BatchInbox()): Promise<BatchInbox> {
    const config = configFor('batch-app');
    const app = await NestFactory.createMicroservice(testBatchConsumerModule(config, inbox, ANSWERS, maxBatchSize), {
      strategy: createMessageServer(config),
      logger: false,
    });
    await app.listen();
    apps.push(app);
    return inbox;
  }

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => resetInProcessBroker());
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('hands many messages to one call, at most maxBatchSize, each once, every key in log order', async () => {
    inProcessBroker().publish(interleaved(50, 3));
    const inbox = await startBatchConsumer(20);

    await eventually(() => inbox.handled.length >= 50, 'all 50 messages');
    expect(inbox.calls.map((c) => c.length)).toEqual([20, 20, 10]);
    expect(new Set(inbox.handled.map((m) => m.offset)).size).toBe(50);
    for (const key of ['v-0', 'v-1', 'v-2']) {
      const order = inbox.handled.filter((m) => m.key === key).map(text);
      expect(order).toEqual(order.map((_, i) => `${key}#${i}`));
    }
  });

  it('on a malformed message, hands the batch over again one at a time: only that message is dead-lettered', async () => {
    const inbox = await startBatchConsumer(10);
    inbox.behaviour = (messages) => {
      const bad = messages.find((m) => m.key === 'v-bad');
      if (bad) throw new MalformedMessageError('signature missing');
    };
    inProcessBroker().publish([
      ...interleaved(4, 2),
      { topic: ANSWERS, key: 'v-bad', value: Buffer.from('bad') },
      ...interleaved(4, 2).map((m) => ({ ...m, key: `${m.key}b` })),
    ]);

    await eventually(() => inbox.handled.length === 8, 'the 8 good messages');
    await eventually(async () => (await readDeadLetters(configFor('reader'))).length === 1, 'the dead letter');
    const [letter] = await readDeadLetters(configFor('reader'));
    expect(letter).toMatchObject({ key: 'v-bad', reason: 'signature missing', originalTopic: ANSWERS, originalOffset: '4' });
    // The whole batch once (failed, nothing kept), then each message alone, in log order.
    expect(inbox.calls[0]).toHaveLength(9);
    expect(inbox.calls.slice(1).map((c) => c.length)).toEqual(Array(9).fill(1));
    expect(inbox.handled.map((m) => m.offset)).toEqual(['0', '1', '2', '3', '5', '6', '7', '8']);
  });

  it('on a transient failure of the whole batch, handles every message alone with nothing dead-lettered', async () => {
    const inbox = await startBatchConsumer(10);
    inbox.behaviour = (_messages, call) => {
      if (call === 1) throw new Error('connection reset');
    };
    inProcessBroker().publish(interleaved(6, 2));

    await eventually(() => inbox.handled.length === 6, 'the 6 messages');
    expect(inbox.calls.map((c) => c.length)).toEqual([6, 1, 1, 1, 1, 1, 1]);
    expect(await readDeadLetters(configFor('reader'))).toHaveLength(0);
  });

  it('retries a message that keeps failing alone, then dead-letters it, and goes on with the next batch', async () => {
    const inbox = await startBatchConsumer(5);
    inbox.behaviour = (messages) => {
      if (messages.some((m) => m.key === 'v-poison')) throw new Error('constraint violated');
    };
    inProcessBroker().publish([{ topic: ANSWERS, key: 'v-poison', value: Buffer.from('p') }, ...interleaved(7, 7)]);

    await eventually(() => inbox.handled.length === 7, 'the 7 other messages');
    const letters = await readDeadLetters(configFor('reader'));
    expect(letters.map((l) => [l.key, l.reason])).toEqual([['v-poison', 'constraint violated']]);
    // 1 batch call + 3 attempts of the poison alone + 4 others alone, then the next batch (3) whole.
    expect(inbox.calls.filter((c) => c.length === 1 && c[0].key === 'v-poison')).toHaveLength(3);
    expect(inbox.calls[inbox.calls.length - 1].map((m) => m.offset)).toEqual(['5', '6', '7']);
  });
});
