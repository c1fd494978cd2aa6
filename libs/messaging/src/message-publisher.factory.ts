import { InProcessPublisher } from './in-process/in-process.publisher';
import { KafkaPublisher } from './kafka/kafka.publisher';
import type { MessagePublisher, MessagingConfig } from './message';

/** A publisher that can be closed (MessagingModule closes its own on shutdown). */
export type ClosableMessagePublisher = MessagePublisher & { close(): Promise<void> };

/** The publisher of the configured transport, for code outside NestJS (scripts, tests). */
export function createMessagePublisher(config: MessagingConfig): ClosableMessagePublisher {
  switch (config.transport) {
    case 'kafka':
      return new KafkaPublisher(config);
    case 'in-process':
      return new InProcessPublisher();
    default:
      return assertUnreachable(config.transport);
  }
}

export function assertUnreachable(value: never): never {
  throw new Error(`unknown transport ${String(value)}`);
}
