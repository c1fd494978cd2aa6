import { Logger, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MessagingConfig } from '../message';
import { createMessageServer } from '../message-server.factory';
import { eventually, Inbox, testConsumerModule } from '../testing/test-consumer';
import { inProcessBroker, resetInProcessBroker } from './in-process.broker';

const INTERACTIVE = 'verihub.test.requests.v1';
const BATCH_LANE = 'verihub.test.batch.requests.v1';

const config: MessagingConfig = { transport: 'in-process', brokers: [], clientId: 'lanes', groupId: 'lanes' };

describe('lane priority: batch-lane work yields to interactive work in progress', () => {
  let app: INestMicroservice;
  const inbox = new Inbox();
  const finished = new Map<string, number>();
  const started = new Map<string, number>();

  beforeAll(async () => {
    Logger.overrideLogger(false);
    resetInProcessBroker();
    app = await NestFactory.createMicroservice(testConsumerModule(config, inbox, [INTERACTIVE, BATCH_LANE]), {
      strategy: createMessageServer(config),
      logger: false,
    });
    await app.listen();
  });
  afterAll(() => app.close());

  function behave(key: string, ms: number): void {
    inbox.behaviour.set(key, async () => {
      started.set(key, Date.now());
      await new Promise((resolve) => setTimeout(resolve, ms));
      finished.set(key, Date.now());
    });
  }

  it('starts a batch-lane message only once the interactive one in progress is done', async () => {
    behave('single-check', 300);
    behave('batch-household', 10);
    inProcessBroker().publish([{ topic: INTERACTIVE, key: 'single-check', value: Buffer.from('i') }]);
    await eventually(() => started.has('single-check'), 'the interactive message to start');
    inProcessBroker().publish([{ topic: BATCH_LANE, key: 'batch-household', value: Buffer.from('b') }]);

    await eventually(() => finished.has('batch-household'), 'the batch-lane message');
    expect(started.get('batch-household')!).toBeGreaterThanOrEqual(finished.get('single-check')!);
  });

  it('never holds batch-lane work back for long: a stuck interactive handler delays it by at most ~2 s', async () => {
    behave('stuck-check', 5000);
    behave('batch-household-2', 10);
    inProcessBroker().publish([{ topic: INTERACTIVE, key: 'stuck-check', value: Buffer.from('i') }]);
    await eventually(() => started.has('stuck-check'), 'the interactive message to start');
    const published = Date.now();
    inProcessBroker().publish([{ topic: BATCH_LANE, key: 'batch-household-2', value: Buffer.from('b') }]);

    await eventually(() => finished.has('batch-household-2'), 'the batch-lane message', 4000);
    expect(finished.has('stuck-check')).toBe(false);
    expect(started.get('batch-household-2')! - published).toBeGreaterThanOrEqual(1900);
  });
});
