import { type DeadLetter, deadLetterFrom } from './dead-letter';
import { inProcessBroker } from './in-process/in-process.broker';
import { readKafkaDeadLetters } from './kafka/kafka-dead-letters';
import { DEAD_LETTER_TOPIC, type MessagingConfig } from './message';
import { assertUnreachable } from './message-publisher.factory';

export interface ReadDeadLettersOptions {
  /** Kafka: bound of reading the topic to its current end. Default 20 s. */
  timeoutMs?: number;
}

/**
 * Every message currently in the dead-letter topic, with its reason and origin (for tests and operators).
 * Kafka: a short-lived consumer reads the topic from the beginning; in-process: the broker's log.
 */
export async function readDeadLetters(config: MessagingConfig, options: ReadDeadLettersOptions = {}): Promise<DeadLetter[]> {
  switch (config.transport) {
    case 'kafka':
      return readKafkaDeadLetters(config, options.timeoutMs ?? 20_000);
    case 'in-process':
      return inProcessBroker().read(DEAD_LETTER_TOPIC).map(deadLetterFrom);
    default:
      return assertUnreachable(config.transport);
  }
}
