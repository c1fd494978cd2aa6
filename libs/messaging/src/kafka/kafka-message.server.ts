import type { Consumer, EachMessagePayload } from 'kafkajs';
import type { IncomingMessage, MessagingConfig, OutgoingMessage } from '../message';
import { type DeliveryOutcome, MessageServer } from '../message-server.base';
import { withTimeout } from '../waits';
import { createKafka, headersToStrings, nextOffset } from './kafka-client';
import { type KafkaConsumerTimings, kafkaConsumerTimingsOf } from './kafka-consumer-settings';
import { KafkaPublisher } from './kafka.publisher';

/**
 * The Kafka transport for `app.connectMicroservice({ strategy })`, on a kafkajs consumer of the config's
 * group. It subscribes to exactly the topics that have handlers (from the beginning for a new group), handles
 * each partition's messages in order, and commits a message's offset only once it is handled or
 * dead-lettered; a message left unfinished at close is delivered again on the next start.
 *
 * consumingSince() (ConsumerReadiness) is set by the first fetch after the consumer joined its group, and
 * cleared by a rebalance, a crash or close(). A process restarted after a crash joins only once the
 * coordinator has dropped its dead predecessor — a session (consumer.sessionTimeoutMs, 10 s) after it died.
 */
export class KafkaMessageServer extends MessageServer {
  private consumer?: Consumer;
  private deadLetters?: KafkaPublisher;
  private readonly timings: KafkaConsumerTimings;
  /** Joined (GROUP_JOIN) and not yet fetched since: the next FETCH starts consuming. */
  private joined = false;

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
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer) {
      // Waits for the messages in progress (their retries stop at once), then leaves the group.
      await withTimeout(consumer.disconnect(), this.policy.handlerTimeoutMs + 15_000, 'disconnecting the Kafka consumer').catch(
        (err: Error) => this.logger.warn(err.message),
      );
    }
    await this.settleInFlight(5000);
    await this.deadLetters?.close();
    this._status$.next('disconnected');
  }

  unwrap<T>(): T {
    if (!this.consumer) throw new Error('not listening: call listen() (startAllMicroservices) first');
    return this.consumer as unknown as T;
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
    const consumer = createKafka(this.config, 'consumer').consumer({
      groupId: this.config.groupId,
      allowAutoTopicCreation: false,
      // See kafkaConsumerTimingsOf: a crashed member holds its partitions for one session (10 s by default).
      ...this.timings,
      // An idle fetch returns after 1 s, so stopping (which waits for the fetch in progress) is quick.
      maxWaitTimeInMs: 1000,
      // Restart after any crash (broker gone, rebalance failure): a consumer must not stop for good.
      retry: { restartOnFailure: async () => !this.stopping.signal.aborted },
    });
    this.consumer = consumer;
    this.watchMembership(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: Math.max(1, this.config.consumer?.partitionsConsumedConcurrently ?? 1),
      eachMessage: (payload) => this.eachMessage(consumer, payload),
    });
    this.logger.log(`group ${this.config.groupId} consumes ${topics.length} topic(s): ${topics.join(', ')}`);
    this._status$.next('connected');
  }

  /** Follows the consumer's group membership: consumingSince() and the logs. */
  private watchMembership(consumer: Consumer): void {
    const connectedAt = Date.now();
    const { GROUP_JOIN, FETCH, REBALANCING, CRASH, STOP } = consumer.events;
    consumer.on(GROUP_JOIN, ({ payload }) => {
      this.joined = true;
      this.markNotConsuming(); // until the first fetch of this generation
      const partitions = Object.values(payload.memberAssignment).reduce((n, list) => n + list.length, 0);
      this.logger.log(
        `joined group ${payload.groupId}: ${partitions} partition(s) assigned, ` +
          `the join took ${payload.duration} ms (${Date.now() - connectedAt} ms since connecting)`,
      );
    });
    consumer.on(FETCH, () => {
      if (!this.joined || this.stopping.signal.aborted) return;
      this.joined = false;
      this.markConsuming();
    });
    consumer.on(REBALANCING, () => {
      this.joined = false;
      this.markNotConsuming();
      this.logger.log(`group ${this.config.groupId} is rebalancing: not consuming until it has rejoined`);
    });
    consumer.on(CRASH, ({ payload }) => {
      this.joined = false;
      this.markNotConsuming();
      this.logger.error(`consumer crashed (restart: ${String(payload.restart)}): ${payload.error.message}`);
    });
    consumer.on(STOP, () => {
      this.joined = false;
      this.markNotConsuming();
    });
  }

  /** Never throws: kafkajs would otherwise retry or crash the consumer on a handler's error. */
  private async eachMessage(
    consumer: Consumer,
    { topic, partition, message, heartbeat }: EachMessagePayload,
  ): Promise<void> {
    if (this.stopping.signal.aborted) return; // not committed: delivered again after a restart
    const incoming: IncomingMessage = {
      topic,
      key: message.key?.toString('utf8') ?? '',
      value: message.value ?? Buffer.alloc(0),
      headers: headersToStrings(message.headers),
      partition,
      offset: message.offset,
    };
    // Heartbeats go out between messages; a handler may run longer than a session (handlerTimeoutMs and its
    // retries vs sessionTimeoutMs), so keep the membership alive while it runs.
    const keepAlive = setInterval(() => void heartbeat().catch(() => undefined), this.timings.heartbeatInterval);
    let outcome: DeliveryOutcome;
    try {
      outcome = await this.deliver(incoming, heartbeat);
    } finally {
      clearInterval(keepAlive);
    }
    if (outcome === 'aborted') return;
    try {
      await consumer.commitOffsets([{ topic, partition, offset: nextOffset(message.offset) }]);
    } catch (err) {
      this.logger.warn(
        `${topic}[${partition}]@${message.offset}: commit failed, the message may be delivered again: ${(err as Error).message}`,
      );
    }
  }
}
