import { MessagePublisher, type OutgoingMessage } from '../message';
import { inProcessBroker } from './in-process.broker';

/** Publishes to the process-wide in-process broker: accepted once appended to the topics' logs. */
export class InProcessPublisher extends MessagePublisher {
  private closed = false;

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (this.closed) throw new Error('the in-process publisher is closed');
    inProcessBroker().publish(messages);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
