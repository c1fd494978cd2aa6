import { Logger, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { readDeadLetters } from '../dead-letters';
import { DEAD_LETTER_HEADERS, DEAD_LETTER_TOPIC, MalformedMessageError, MessagePublisher, type MessagingConfig } from '../message';
import { decodeMessage } from '../message-codec';
import { createMessagePublisher } from '../message-publisher.factory';
import { createMessageServer } from '../message-server.factory';
import { eventually, Inbox, testConsumerModule } from '../testing/test-consumer';
import { ensureTopics } from '../topics';
import { inProcessBroker, resetInProcessBroker } from './in-process.broker';

const ORDERS = 'verihub.test.orders.v1';
const AUDIT = 'verihub.test.audit.v1';

function configFor(groupId: string): MessagingConfig {
  return {
    transport: 'in-process',
    brokers: [],
    clientId: groupId,
    groupId,
    // One message at a time: these tests follow a failing message and the one behind it (keyed concurrency has its own test).
    consumer: { retryAttempts: 3, retryInitialDelayMs: 10, keyConcurrency: 1 },
  };
}

describe('in-process transport through a NestJS microservice', () => {
  const apps: INestMicroservice[] = [];

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

  const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => resetInProcessBroker());
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('delivers a published message to the @EventPattern handler with its key, headers and bytes intact', async () => {
    const { app, inbox } = await startConsumer('orders-app');
    const publisher = app.get(MessagePublisher);
    await publisher.publish([
      { topic: ORDERS, key: 'v-1', value: bytes(0, 1, 254, 255), headers: { 'content-type': 'application/x-protobuf' } },
    ]);

    await eventually(() => inbox.received.length === 1, 'the message');
    const [{ message, attempt }] = inbox.received;
    expect(message).toMatchObject({
      topic: ORDERS,
      key: 'v-1',
      headers: { 'content-type': 'application/x-protobuf' },
      partition: 0,
      offset: '0',
    });
    expect(Buffer.isBuffer(message.value)).toBe(true);
    expect([...message.value]).toEqual([0, 1, 254, 255]);
    expect(attempt).toBe(1);
  });

  it('never runs a handler inside publish()', async () => {
    const { app, inbox } = await startConsumer('orders-app');
    await app.get(MessagePublisher).publish([{ topic: ORDERS, key: 'v-1', value: bytes(1) }]);
    expect(inbox.received).toHaveLength(0);
    await eventually(() => inbox.received.length === 1, 'the message');
  });

  it('gives every consumer group its own copy, and each group handles it once', async () => {
    const first = await startConsumer('aggregator');
    const second = await startConsumer('audit-app');
    await first.app.get(MessagePublisher).publish([{ topic: ORDERS, key: 'v-2', value: bytes(2) }]);

    await eventually(() => first.inbox.received.length === 1 && second.inbox.received.length === 1, 'both groups');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(first.inbox.received).toHaveLength(1);
    expect(second.inbox.received).toHaveLength(1);
  });

  it('shares a group’s messages between its subscribers: each message is handled once by the group', async () => {
    const one = await startConsumer('shared');
    const two = await startConsumer('shared');
    const messages = Array.from({ length: 10 }, (_, i) => ({ topic: ORDERS, key: `v-${i}`, value: bytes(i) }));
    await one.app.get(MessagePublisher).publish(messages);

    await eventually(() => one.inbox.received.length + two.inbox.received.length === 10, 'all ten messages');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const keys = [...one.inbox.received, ...two.inbox.received].map((r) => r.message.key).sort();
    expect(keys).toEqual(messages.map((m) => m.key).sort());
  });

  it('delivers messages published before any group subscribed, and to a group that joins later', async () => {
    const publisher = createMessagePublisher(configFor('publisher'));
    await publisher.publish([
      { topic: AUDIT, key: 'v-early-1', value: bytes(1) },
      { topic: AUDIT, key: 'v-early-2', value: bytes(2) },
    ]);

    const first = await startConsumer('first-group');
    await eventually(() => first.inbox.handled(AUDIT).length === 2, 'the earlier messages');
    const late = await startConsumer('late-group');
    await eventually(() => late.inbox.handled(AUDIT).length === 2, 'the earlier messages in the late group');
    expect(first.inbox.handled(AUDIT).map((m) => m.key)).toEqual(['v-early-1', 'v-early-2']);
    expect(late.inbox.handled(AUDIT).map((m) => m.key)).toEqual(['v-early-1', 'v-early-2']);
    await publisher.close();
  });

  it('dead-letters a malformed message with its reason, without retrying, and goes on with the next one', async () => {
    const { app, inbox } = await startConsumer('orders-app');
    inbox.behaviour.set('v-bad', () => {
      throw new MalformedMessageError('members missing');
    });
    await app.get(MessagePublisher).publish([
      { topic: ORDERS, key: 'v-bad', value: bytes(9, 9), headers: { trace: 't-1' } },
      { topic: ORDERS, key: 'v-good', value: bytes(1) },
    ]);

    await eventually(() => inbox.received.some((r) => r.message.key === 'v-good'), 'the next message');
    expect(inbox.received.filter((r) => r.message.key === 'v-bad')).toHaveLength(1);
    const letters = await readDeadLetters(configFor('reader'));
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      key: 'v-bad',
      reason: 'members missing',
      originalTopic: ORDERS,
      originalPartition: 0,
      originalOffset: '0',
    });
    expect([...letters[0].value]).toEqual([9, 9]);
    expect(letters[0].headers.trace).toBe('t-1');
    expect(new Date(letters[0].failedAt).getTime()).not.toBeNaN();
    expect(letters[0].headers[DEAD_LETTER_HEADERS.reason]).toBe('members missing');
  });

  it('dead-letters bytes that decodeMessage cannot decode, naming the topic', async () => {
    const { app, inbox } = await startConsumer('orders-app');
    const strictCodec = {
      decode(input: Uint8Array): string {
        if (input.length === 0) throw new Error('empty payload');
        return Buffer.from(input).toString('hex');
      },
    };
    inbox.behaviour.set('v-empty', () => void decodeMessage(inbox.received.at(-1)!.message, strictCodec));
    await app.get(MessagePublisher).publish([{ topic: ORDERS, key: 'v-empty', value: new Uint8Array() }]);

    await eventually(async () => (await readDeadLetters(configFor('reader'))).length === 1, 'the dead letter');
    const [letter] = await readDeadLetters(configFor('reader'));
    expect(letter.reason).toBe(`cannot decode ${ORDERS}: empty payload`);
  });

  it('retries a transient failure with backoff until the handler succeeds', async () => {
    const { app, inbox } = await startConsumer('orders-app');
    inbox.behaviour.set('v-flaky', (attempt) => {
      if (attempt < 3) throw new Error('database unavailable');
    });
    await app.get(MessagePublisher).publish([
      { topic: ORDERS, key: 'v-flaky', value: bytes(1) },
      { topic: ORDERS, key: 'v-after', value: bytes(2) },
    ]);

    await eventually(() => inbox.received.some((r) => r.message.key === 'v-after'), 'the following message');
    expect(inbox.received.map((r) => [r.message.key, r.attempt])).toEqual([
      ['v-flaky', 1],
      ['v-flaky', 2],
      ['v-flaky', 3],
      ['v-after', 1],
    ]);
    expect(await readDeadLetters(configFor('reader'))).toEqual([]);
  });

  it('dead-letters a message whose handler keeps failing once the attempts are used up', async () => {
    const { app, inbox } = await startConsumer('orders-app');
    inbox.behaviour.set('v-broken', () => {
      throw new Error('still broken');
    });
    await app.get(MessagePublisher).publish([
      { topic: ORDERS, key: 'v-broken', value: bytes(7) },
      { topic: ORDERS, key: 'v-next', value: bytes(8) },
    ]);

    await eventually(() => inbox.received.some((r) => r.message.key === 'v-next'), 'the next message');
    expect(inbox.received.filter((r) => r.message.key === 'v-broken').map((r) => r.attempt)).toEqual([1, 2, 3]);
    const letters = await readDeadLetters(configFor('reader'));
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ key: 'v-broken', originalTopic: ORDERS });
    expect(letters[0].reason).toBe('still broken');
  });

  it('runs the same handlers in a hybrid (HTTP + messages) app connected with inheritAppConfig', async () => {
    const inbox = new Inbox();
    const config = configFor('gateway');
    const app = await NestFactory.create(testConsumerModule(config, inbox, [ORDERS, AUDIT]), { logger: false });
    app.connectMicroservice({ strategy: createMessageServer(config) }, { inheritAppConfig: true });
    try {
      await app.startAllMicroservices();
      await app.init();
      inbox.behaviour.set('v-broken', () => {
        throw new Error('gateway handler broken');
      });
      await app.get(MessagePublisher).publish([
        { topic: AUDIT, key: 'v-broken', value: bytes(1) },
        { topic: AUDIT, key: 'v-ok', value: bytes(2) },
      ]);
      await eventually(() => inbox.received.some((r) => r.message.key === 'v-ok'), 'the next message');
      const [letter] = await readDeadLetters(config);
      expect(letter).toMatchObject({ key: 'v-broken', originalTopic: AUDIT, reason: 'gateway handler broken' });
    } finally {
      await app.close();
    }
  });

  it('stops delivering when closed; a later subscriber of the group gets what was left', async () => {
    const first = await startConsumer('orders-app');
    let release: () => void = () => undefined;
    first.inbox.behaviour.set('v-slow', () => new Promise<void>((resolve) => (release = resolve)));
    await first.app.get(MessagePublisher).publish([
      { topic: ORDERS, key: 'v-slow', value: bytes(1) },
      { topic: ORDERS, key: 'v-left', value: bytes(2) },
    ]);
    await eventually(() => first.inbox.received.length === 1, 'the slow message');

    const closing = first.app.close();
    apps.splice(apps.indexOf(first.app), 1);
    release();
    await closing;
    expect(first.inbox.received.map((r) => r.message.key)).toEqual(['v-slow']);

    const next = await startConsumer('orders-app');
    await eventually(() => next.inbox.received.length === 1, 'the remaining message');
    expect(next.inbox.received[0].message.key).toBe('v-left');
  });

  it('has nothing to create for ensureTopics and keeps dead letters in the broker log', async () => {
    await expect(ensureTopics(configFor('x'), [ORDERS])).resolves.toEqual([]);
    expect(inProcessBroker().read(DEAD_LETTER_TOPIC)).toEqual([]);
  });
});
