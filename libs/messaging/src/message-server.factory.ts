import { InProcessMessageServer } from './in-process/in-process-message.server';
import { KafkaMessageServer } from './kafka/kafka-message.server';
import type { MessagingConfig } from './message';
import { assertUnreachable } from './message-publisher.factory';
import type { MessageServer } from './message-server.base';

/**
 * The message server of the configured transport, for `app.connectMicroservice({ strategy })` or
 * `NestFactory.createMicroservice(Module, { strategy })`: `@EventPattern(topic)` handlers receive
 * IncomingMessages of the config's consumer group.
 */
export function createMessageServer(config: MessagingConfig): MessageServer {
  switch (config.transport) {
    case 'kafka':
      return new KafkaMessageServer(config);
    case 'in-process':
      return new InProcessMessageServer(config);
    default:
      return assertUnreachable(config.transport);
  }
}
