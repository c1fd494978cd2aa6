import { ensureKafkaTopics, type EnsureTopicsOptions } from './kafka/kafka-topics';
import type { MessagingConfig } from './message';
import { assertUnreachable } from './message-publisher.factory';

export type { EnsureTopicsOptions };

/**
 * Creates the topics an app uses, plus the dead-letter topic, before it consumes or publishes (the broker
 * does not auto-create topics). Kafka: missing topics are created (3 partitions, replication 1 by default) and
 * the call resolves once every one has a leader; returns the names it created. In-process: nothing to do.
 */
export async function ensureTopics(
  config: MessagingConfig,
  topics: readonly string[],
  options: EnsureTopicsOptions = {},
): Promise<string[]> {
  switch (config.transport) {
    case 'kafka':
      return ensureKafkaTopics(config, topics, options);
    case 'in-process':
      return [];
    default:
      return assertUnreachable(config.transport);
  }
}
