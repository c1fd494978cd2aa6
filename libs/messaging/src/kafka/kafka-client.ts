import { Logger } from '@nestjs/common';
import { type IHeaders, Kafka, type KafkaMessage, type LogEntry, logLevel, type logCreator } from 'kafkajs';
import type { IncomingMessage, MessagingConfig } from '../message';

/**
 * kafkajs is unmaintained: it is only ever touched inside libs/messaging, so the client can be swapped.
 * Its own logs go through NestJS's Logger (warnings and errors only); they never contain message values.
 * - The Connection namespace's error responses are lowered to debug: kafkajs retries them (a leader moving,
 *   a coordinator loading), and an operation that fails for good is reported by whoever called it.
 * - The warning that bounded retries "may invalidate EoS guarantees" is dropped: this lib bounds every wait
 *   on purpose (a publish that gives up is published again by the outbox; consumers are idempotent).
 */
const QUIET_WARNINGS = ['Limiting retries for the idempotent producer'];

const nestLogCreator: logCreator = () => {
  const logger = new Logger('kafkajs');
  return ({ namespace, level, log }: LogEntry) => {
    const { message, error } = log as { message?: string; error?: string };
    const text = `${namespace}: ${message ?? ''}${error && error !== message ? ` (${error})` : ''}`;
    if (level === logLevel.WARN && QUIET_WARNINGS.some((w) => message?.startsWith(w))) return;
    if (namespace === 'Connection' && level === logLevel.ERROR) logger.debug(text);
    else if (level === logLevel.ERROR) logger.error(text);
    else if (level === logLevel.WARN) logger.warn(text);
    else if (level === logLevel.INFO) logger.log(text);
    else logger.debug(text);
  };
};

export function createKafka(config: MessagingConfig, role: string): Kafka {
  if (config.brokers.length === 0) throw new Error('messaging config names no Kafka broker');
  return new Kafka({
    clientId: `${config.clientId}-${role}`,
    brokers: config.brokers,
    connectionTimeout: 3000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10_000 },
    logLevel: logLevel.WARN,
    logCreator: nestLogCreator,
  });
}

/** Kafka header values are bytes (or lists of them): the port carries them as UTF-8 strings. */
export function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value === undefined) continue;
    result[name] = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  }
  return result;
}

/** A fetched Kafka message as the port's IncomingMessage. */
export function incomingOf(topic: string, partition: number, message: KafkaMessage): IncomingMessage {
  return {
    topic,
    key: message.key?.toString('utf8') ?? '',
    value: message.value ?? Buffer.alloc(0),
    headers: headersToStrings(message.headers),
    partition,
    offset: message.offset,
  };
}

/** The offset to commit after handling `offset`: the next one. */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}
