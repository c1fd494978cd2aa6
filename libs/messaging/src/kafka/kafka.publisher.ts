import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type Message, Partitioners, type Producer } from 'kafkajs';
import { MessagePublisher, type MessagingConfig, type OutgoingMessage } from '../message';
import { withTimeout } from '../waits';
import { createKafka } from './kafka-client';

export interface KafkaPublisherOptions {
  /** A publish (connecting included) that has not been acknowledged after this long rejects. Default 30 s. */
  publishTimeoutMs?: number;
  /** Name of the kafkajs client (suffix of the config's clientId). Default "publisher". */
  role?: string;
}

/**
 * Publishes with an idempotent kafkajs producer: acks from all in-sync replicas, one request in flight (so a
 * retry cannot reorder a partition), no topic auto-creation. Connects on first use; closes on shutdown —
 * after NestJS has closed the app's message servers, so handlers finishing their last message can still publish.
 */
export class KafkaPublisher extends MessagePublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(KafkaPublisher.name);
  private readonly producer: Producer;
  private readonly publishTimeoutMs: number;
  private connecting?: Promise<void>;
  private closed = false;
  /** Sends kafkajs is still working on, including ones whose publish() already timed out. */
  private readonly sending = new Set<Promise<void>>();

  constructor(config: MessagingConfig, options: KafkaPublisherOptions = {}) {
    super();
    this.publishTimeoutMs = options.publishTimeoutMs ?? 30_000;
    this.producer = createKafka(config, options.role ?? 'publisher').producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // Bounded (about 20 s of retries), so a publish to an unreachable broker or a missing topic ends.
      retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 10_000 },
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (this.closed) throw new Error('the Kafka publisher is closed');
    if (messages.length === 0) return;
    const byTopic = new Map<string, Message[]>();
    for (const m of messages) {
      const batch = byTopic.get(m.topic) ?? [];
      batch.push({
        key: m.key,
        value: Buffer.isBuffer(m.value) ? m.value : Buffer.from(m.value.buffer, m.value.byteOffset, m.value.byteLength),
        headers: m.headers,
      });
      byTopic.set(m.topic, batch);
    }
    const send = (async (): Promise<void> => {
      await this.connect();
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, batch]) => ({ topic, messages: batch })),
      });
    })();
    this.sending.add(send);
    void send.catch(() => undefined).finally(() => this.sending.delete(send));
    await withTimeout(send, this.publishTimeoutMs, `publishing ${messages.length} message(s)`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const connecting = this.connecting;
    if (!connecting) return;
    await connecting.catch(() => undefined);
    // kafkajs's retries of a send end within about 20 s; disconnecting earlier would let them reconnect.
    await withTimeout(Promise.allSettled([...this.sending]), 30_000, 'waiting for sends in progress').catch(
      (err: Error) => this.logger.warn(err.message),
    );
    await withTimeout(this.producer.disconnect(), 10_000, 'disconnecting the Kafka producer').catch((err: Error) =>
      this.logger.warn(err.message),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private connect(): Promise<void> {
    if (!this.connecting) {
      this.connecting = this.producer.connect().catch((err: unknown) => {
        this.connecting = undefined;
        throw err;
      });
    }
    return this.connecting;
  }
}
