import type { Consumer, EachMessagePayload } from 'kafkajs';
import type { IncomingMessage, MessagingConfig, OutgoingMessage } from '../message';
import { MessageServer } from '../message-server.base';
import { withTimeout } from '../waits';
import { createKafka, headersToStrings, nextOffset } from './kafka-client';
import { KafkaPublisher } from './kafka.publisher';

/**
 * The Kafka transport for `app.connectMicroservice({ strategy })`, on a kafkajs consumer of the config's
 * group. It subscribes to exactly the topics that have handlers (from the beginning for a new group), handles
 * each partition's messages in order, and commits a message's offset only once it is handled or
 * dead-lettered; a message left unfinished at close is delivered again on the next start.
 */
export class KafkaMessageServer extends MessageServer {
  private consumer?: Consumer;
  private deadLetters?: KafkaPublisher;

  constructor(config: MessagingConfig) {
    super(config, `KafkaMessageServer:${config.groupId}`);
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
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
      // An idle fetch returns after 1 s, so stopping (which waits for the fetch in progress) is quick.
      maxWaitTimeInMs: 1000,
      // Restart after any crash (broker gone, rebalance failure): a consumer must not stop for good.
      retry: { restartOnFailure: async () => !this.stopping.signal.aborted },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) =>
      this.logger.error(`consumer crashed (restart: ${String(payload.restart)}): ${payload.error.message}`),
    );
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
    const outcome = await this.deliver(incoming, heartbeat);
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
