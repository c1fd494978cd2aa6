import { RpcException } from '@nestjs/microservices';

/**
 * The transport port. Apps publish OutgoingMessages and handle IncomingMessages with NestJS
 * `@EventPattern(topic)` handlers; which transport carries them (Kafka or in-process) is configuration.
 * Values are protobuf bytes (libs/contracts); keys are verification ids, never personal data.
 */
export interface OutgoingMessage {
  topic: string;
  key: string;
  value: Uint8Array;
  headers?: Record<string, string>;
}

export interface IncomingMessage {
  topic: string;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
  partition?: number;
  offset?: string;
}

/** Publishes messages; resolves once the transport has accepted all of them (Kafka: acks=all). */
export abstract class MessagePublisher {
  abstract publish(messages: OutgoingMessage[]): Promise<void>;
}

/**
 * Thrown by a handler for a message that can never be processed (undecodable, invalid). The transport
 * moves it to the dead-letter topic with this reason and goes on; it is not retried.
 */
export class MalformedMessageError extends RpcException {
  constructor(public readonly reason: string) {
    super(reason);
    this.name = 'MalformedMessageError';
  }

  /**
   * NestJS's RPC exception layer replaces every error that is not an RpcException with "Internal server
   * error" and rethrows `getError()` of RpcExceptions: returning the error itself lets the transport see
   * that the message is malformed (and why), whatever filters the app has.
   */
  override getError(): MalformedMessageError {
    return this;
  }
}

/**
 * Whether a message server is consuming: what a job that must not act before the messages waiting for this
 * consumer have been seen (the aggregator's deadline sweeper) waits for. Implemented by every message server.
 */
export interface ConsumerReadiness {
  /**
   * Since when (epoch ms) the server has been consuming without interruption, or null while it is not.
   * Kafka: from the first fetch after its consumer joined the group and got its partitions, until a
   * rebalance, a crash or close(). In-process: from listen() to close().
   */
  consumingSince(): number | null;
}

export type TransportKind = 'kafka' | 'in-process';

export interface MessagingConfig {
  transport: TransportKind;
  /** Kafka bootstrap servers ("host:port"); unused in-process. */
  brokers: string[];
  /** Kafka client id, also used in logs. */
  clientId: string;
  /** Consumer group: one per app (each bank adapter instance has its own). */
  groupId: string;
  /** How the message server handles failures and concurrency; every field has a default. */
  consumer?: ConsumerOptions;
}

export interface ConsumerOptions {
  /** Attempts of a failing handler (the first call included) before the message is dead-lettered. Default 5. */
  retryAttempts?: number;
  /** Delay before the first retry; it doubles on each further retry. Default 200 ms. */
  retryInitialDelayMs?: number;
  /** Upper bound of one retry delay. Default 30 s. */
  retryMaxDelayMs?: number;
  /** A handler call that has not settled after this long counts as failed (and is retried). Default 20 s. */
  handlerTimeoutMs?: number;
  /** Kafka: partitions handled in parallel (order is kept within a partition). Default 3 (the topics' partitions). */
  partitionsConsumedConcurrently?: number;
  /**
   * Messages of different keys (verifications) handled at once within a partition; messages of one key
   * are always handled one after another, in log order. Default 16. 1 handles one message at a time.
   */
  keyConcurrency?: number;
  /**
   * Kafka: the group coordinator drops a member it has not heard from for this long — a crashed one too —
   * and only then hands its partitions to a restarted or another member. Default 10 s (kafkajs: 30 s): a
   * process restarted after a crash gets its partitions back about this long after it died. The broker
   * accepts 6 s to 30 min (group.min/max.session.timeout.ms).
   */
  sessionTimeoutMs?: number;
  /** Kafka: how often the consumer tells the coordinator it is alive; at most a third of sessionTimeoutMs. Default 3 s. */
  heartbeatIntervalMs?: number;
  /** Kafka: how long a rebalance waits for every member to rejoin; at least sessionTimeoutMs. Default 60 s. */
  rebalanceTimeoutMs?: number;
}

/** Where messages that cannot be processed go, with DEAD_LETTER_HEADERS (same name as Topics.deadLetter). */
export const DEAD_LETTER_TOPIC = 'verihub.deadletter.v1';

export const DEAD_LETTER_HEADERS = {
  reason: 'x-dead-letter-reason',
  originalTopic: 'x-original-topic',
  originalPartition: 'x-original-partition',
  originalOffset: 'x-original-offset',
  failedAt: 'x-failed-at',
} as const;
