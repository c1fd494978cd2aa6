import type { IncomingMessage, MessagingConfig, OutgoingMessage } from '../message';
import { DEFAULT_KEY_CONCURRENCY, isBatchLaneTopic } from '../key-waves';
import { MessageServer } from '../message-server.base';
import { inProcessBroker, type InProcessBroker, type InProcessSubscription } from './in-process.broker';

/**
 * The in-process transport for `app.connectMicroservice({ strategy })`: subscribes the `@EventPattern`
 * handlers' topics on the process-wide broker under the config's group id.
 */
export class InProcessMessageServer extends MessageServer {
  private subscription?: InProcessSubscription;
  private broker?: InProcessBroker;

  constructor(config: MessagingConfig) {
    super(config, `InProcessMessageServer:${config.groupId}`);
  }

  listen(callback: (error?: unknown) => void): void {
    try {
      const topics = this.handledTopics();
      this.broker = inProcessBroker();
      if (topics.length > 0) {
        const concurrency = this.config.consumer?.keyConcurrency ?? DEFAULT_KEY_CONCURRENCY;
        this.subscription = this.broker.subscribe(this.config.groupId, topics, (message) => this.consume(message), concurrency, {
          sizeOf: (topic) => this.batchSizeOf(topic),
          consume: (messages) => this.consumeBatch(messages),
        });
      }
      this.logger.log(`group ${this.config.groupId} consumes ${topics.length} topic(s): ${topics.join(', ')}`);
      this._status$.next('connected');
      this.markConsuming();
      callback();
    } catch (err) {
      callback(err);
    }
  }

  async close(): Promise<void> {
    this.markNotConsuming();
    this.subscription?.close();
    this.subscription = undefined;
    this.stopping.abort();
    await this.settleInFlight(this.policy.handlerTimeoutMs + 1000);
    this._status$.next('disconnected');
  }

  unwrap<T>(): T {
    if (!this.broker) throw new Error('not listening: call listen() (startAllMicroservices) first');
    return this.broker as T;
  }

  protected async publishDeadLetter(message: OutgoingMessage): Promise<void> {
    (this.broker ?? inProcessBroker()).publish([message]);
  }

  private async consume(message: IncomingMessage): Promise<boolean> {
    if (this.stopping.signal.aborted) return false;
    if (isBatchLaneTopic(message.topic)) await this.yieldToInteractive();
    const outcome = await this.deliver(message);
    return outcome !== 'aborted';
  }

  private async consumeBatch(messages: IncomingMessage[]): Promise<boolean> {
    if (this.stopping.signal.aborted) return false;
    if (isBatchLaneTopic(messages[0].topic)) await this.yieldToInteractive();
    const outcomes = await this.deliverBatch(messages);
    return !outcomes.includes('aborted');
  }
}
