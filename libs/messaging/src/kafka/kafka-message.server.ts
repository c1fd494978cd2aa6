import type { Consumer, EachBatchPayload } from 'kafkajs';
import { chunksOf } from '../batch-event-pattern';
import { DEFAULT_KEY_CONCURRENCY, isBatchLaneTopic, keyWaves } from '../key-waves';
import type { MessagingConfig, OutgoingMessage } from '../message';
import { type DeliveryOutcome, MessageServer } from '../message-server.base';
import { withTimeout } from '../waits';
import { createKafka, incomingOf, nextOffset } from './kafka-client';
import { type KafkaConsumerTimings, kafkaConsumerTimingsOf } from './kafka-consumer-settings';
import { KafkaPublisher } from './kafka.publisher';

/**
 * The Kafka transport for `app.connectMicroservice({ strategy })`, on kafkajs consumers: one of the config's
 * group for the topics that have handlers, and one of `<group>.batch` for the batch-lane topics (so batch
 * backlog never delays interactive messages). New groups start from the beginning. Each partition's
 * messages are handled in order per key, up to keyConcurrency keys at once, and offsets are committed only
 * once the messages before them are handled or dead-lettered; a message left unfinished at close is
 * delivered again on the next start.
 *
 * consumingSince() (ConsumerReadiness) is set by the first fetch after the consumer joined its group, and
 * cleared by a rebalance, a crash or close(). A process restarted after a crash joins only once the
 * coordinator has dropped its dead predecessor — a session (consumer.sessionTimeoutMs, 10 s) after it died.
 */
export class KafkaMessageServer extends MessageServer {
  /** One consumer per lane: the interactive topics (group `groupId`) and the batch lane (`groupId.batch`). */
  private consumers: Consumer[] = [];
  private deadLetters?: KafkaPublisher;
  private readonly timings: KafkaConsumerTimings;
  /** Consumers that joined (GROUP_JOIN) and have not fetched since: their next FETCH starts consuming. */
  private readonly joined = new Set<Consumer>();
  /** Consumers consuming now; the server is consuming when every one of them is. */
  private readonly consuming = new Set<Consumer>();

  constructor(config: MessagingConfig) {
    super(config, `KafkaMessageServer:${config.groupId}`);
    this.timings = kafkaConsumerTimingsOf(config.consumer);
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await withTimeout(this.start(), 60_000, `starting the Kafka consumer of ${this.config.groupId}`);
      callback();
    } catch (err) {
      await this.close().catch(() => undefined);
      callback(err);
    }
  }

  async close(): Promise<void> {
    this.stopping.abort();
    this.markNotConsuming();
    const consumers = this.consumers;
    this.consumers = [];
    // Each waits for the messages in progress (their retries stop at once), then leaves its group.
    await Promise.all(
      consumers.map((consumer) =>
        withTimeout(consumer.disconnect(), this.policy.handlerTimeoutMs + 15_000, 'disconnecting the Kafka consumer').catch(
          (err: Error) => this.logger.warn(err.message),
        ),
      ),
    );
    await this.settleInFlight(5000);
    await this.deadLetters?.close();
    this._status$.next('disconnected');
  }

  unwrap<T>(): T {
    if (this.consumers.length === 0) throw new Error('not listening: call listen() (startAllMicroservices) first');
    return this.consumers[0] as unknown as T;
  }

  protected async publishDeadLetter(message: OutgoingMessage): Promise<void> {
    if (!this.deadLetters) throw new Error('the Kafka message server is not started');
    await this.deadLetters.publish([message]);
  }

  private async start(): Promise<void> {
    const topics = this.handledTopics();
    if (topics.length === 0) {
      this.logger.log(`group ${this.config.groupId} has no handlers: not consuming`);
      this._status$.next('connected');
      return;
    }
    this.deadLetters = new KafkaPublisher(this.config, { role: 'dead-letters' });
    // The batch lane has its own consumer (and group), so a backlog there never delays the other topics.
    const lanes = [
      { groupId: this.config.groupId, topics: topics.filter((t) => !isBatchLaneTopic(t)) },
      { groupId: `${this.config.groupId}.batch`, topics: topics.filter(isBatchLaneTopic) },
    ].filter((lane) => lane.topics.length > 0);
    for (const lane of lanes) await this.startConsumer(lane.groupId, lane.topics);
    this._status$.next('connected');
  }

  private async startConsumer(groupId: string, topics: string[]): Promise<void> {
    const consumer = createKafka(this.config, 'consumer').consumer({
      groupId,
      allowAutoTopicCreation: false,
      // See kafkaConsumerTimingsOf: a crashed member holds its partitions for one session (10 s by default).
      ...this.timings,
      // An idle fetch returns after 1 s, so stopping (which waits for the fetch in progress) is quick.
      maxWaitTimeInMs: 1000,
      // Restart after any crash (broker gone, rebalance failure): a consumer must not stop for good.
      retry: { restartOnFailure: async () => !this.stopping.signal.aborted },
    });
    this.consumers.push(consumer);
    this.watchMembership(consumer, groupId);
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.max(1, this.config.consumer?.partitionsConsumedConcurrently ?? 3),
      eachBatch: (payload) => this.eachBatch(consumer, payload),
    });
    this.logger.log(`group ${groupId} consumes ${topics.length} topic(s): ${topics.join(', ')}`);
  }

  /** Follows a consumer's group membership: consumingSince() and the logs. */
  private watchMembership(consumer: Consumer, groupId: string): void {
    const connectedAt = Date.now();
    const { GROUP_JOIN, FETCH, REBALANCING, CRASH, STOP } = consumer.events;
    const stopped = (): void => {
      this.joined.delete(consumer);
      this.consuming.delete(consumer);
      this.markNotConsuming();
    };
    consumer.on(GROUP_JOIN, ({ payload }) => {
      stopped(); // until the first fetch of this generation
      this.joined.add(consumer);
      const partitions = Object.values(payload.memberAssignment).reduce((n, list) => n + list.length, 0);
      this.logger.log(
        `joined group ${payload.groupId}: ${partitions} partition(s) assigned, ` +
          `the join took ${payload.duration} ms (${Date.now() - connectedAt} ms since connecting)`,
      );
    });
    consumer.on(FETCH, () => {
      if (!this.joined.has(consumer) || this.stopping.signal.aborted) return;
      this.joined.delete(consumer);
      this.consuming.add(consumer);
      if (this.consumers.every((c) => this.consuming.has(c))) this.markConsuming();
    });
    consumer.on(REBALANCING, () => {
      stopped();
      this.logger.log(`group ${groupId} is rebalancing: not consuming until it has rejoined`);
    });
    consumer.on(CRASH, ({ payload }) => {
      stopped();
      this.logger.error(`consumer crashed (restart: ${String(payload.restart)}): ${payload.error.message}`);
    });
    consumer.on(STOP, stopped);
  }

  /**
   * A fetched batch of one partition, in waves of distinct keys (keyWaves): a wave's messages are handled
   * at once — or, for a batch handler (BatchEventPattern), in log-ordered slices handed over whole — and its last offset is committed once every one of them is handled or dead-lettered. Never
   * throws: kafkajs would otherwise retry or crash the consumer on a handler's error.
   */
  private async eachBatch(consumer: Consumer, { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const limit = Math.max(1, this.config.consumer?.keyConcurrency ?? DEFAULT_KEY_CONCURRENCY);
    const { topic, partition } = batch;
    const batchSize = this.batchSizeOf(topic);
    const batchLane = isBatchLaneTopic(topic);
    const waves = batchSize ? chunksOf(batch.messages, batchSize) : keyWaves(batch.messages, limit, (m) => m.key?.toString('utf8') ?? '');
    for (const wave of waves) {
      // Not committed: delivered again after a restart or to the partition's new owner.
      if (this.stopping.signal.aborted || !isRunning() || isStale()) return;
      if (batchLane) await this.yieldToInteractive();
      // Heartbeats go out between waves; a handler may run longer than a session (handlerTimeoutMs and its
      // retries vs sessionTimeoutMs), so keep the membership alive while the wave runs.
      const keepAlive = setInterval(() => void heartbeat().catch(() => undefined), this.timings.heartbeatInterval);
      let outcomes: DeliveryOutcome[];
      try {
        const incoming = wave.map((message) => incomingOf(topic, partition, message));
        outcomes = batchSize
          ? await this.deliverBatch(incoming, heartbeat)
          : await Promise.all(incoming.map((message) => this.deliver(message, heartbeat)));
      } finally {
        clearInterval(keepAlive);
      }
      if (outcomes.includes('aborted')) return;
      const last = wave[wave.length - 1].offset;
      resolveOffset(last);
      try {
        await consumer.commitOffsets([{ topic, partition, offset: nextOffset(last) }]);
      } catch (err) {
        this.logger.warn(`${topic}[${partition}]@${last}: commit failed, the messages may be delivered again: ${(err as Error).message}`);
      }
      await heartbeat().catch(() => undefined);
    }
  }
}
