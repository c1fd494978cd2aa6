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
export class MalformedMessageError extends Error {
  constructor(public readonly reason: string) {
    super(reason);
    this.name = 'MalformedMessageError';
  }
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
}

export const DEAD_LETTER_HEADERS = {
  reason: 'x-dead-letter-reason',
  originalTopic: 'x-original-topic',
  originalPartition: 'x-original-partition',
  originalOffset: 'x-original-offset',
  failedAt: 'x-failed-at',
} as const;
