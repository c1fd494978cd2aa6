import { Logger } from '@nestjs/common';
import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { batchOptionsOf } from './batch-event-pattern';
import { deadLetterOf } from './dead-letter';
import {
  type ConsumerOptions,
  type ConsumerReadiness,
  DEAD_LETTER_TOPIC,
  type IncomingMessage,
  MalformedMessageError,
  type MessagingConfig,
  type OutgoingMessage,
} from './message';
import { isBatchLaneTopic } from './key-waves';
import { MessageContext } from './message-context';
import { sleep, withTimeout } from './waits';

/** What became of one message: handled or dead-lettered (both final), skipped (no handler), or aborted (closing: deliver again). */
export type DeliveryOutcome = 'handled' | 'dead-lettered' | 'skipped' | 'aborted';

export interface RetryPolicy {
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  handlerTimeoutMs: number;
}

export function retryPolicyOf(options: ConsumerOptions = {}): RetryPolicy {
  return {
    attempts: Math.max(1, options.retryAttempts ?? 5),
    initialDelayMs: Math.max(0, options.retryInitialDelayMs ?? 200),
    maxDelayMs: Math.max(0, options.retryMaxDelayMs ?? 30_000),
    handlerTimeoutMs: Math.max(1, options.handlerTimeoutMs ?? 20_000),
  };
}

/** Kafka topic names: [a-zA-Z0-9._-]. Other patterns cannot be subscribed to. */
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * How a handler's failure is read. MalformedMessageError reaches us as itself (it is an RpcException whose
 * getError() is the error). NestJS's default RPC exception filter turns any other error into
 * `{ status: 'error', message: 'Internal server error' }` (after logging it with its stack); the handler's
 * own error is used instead when MessageFailureInterceptor recorded it.
 */
export function describeFailure(failure: unknown): { malformed: boolean; reason: string } {
  if (failure instanceof MalformedMessageError) return { malformed: true, reason: failure.reason };
  if (failure instanceof Error) return { malformed: false, reason: failure.message || failure.name };
  if (typeof failure === 'object' && failure !== null && 'message' in failure && typeof failure.message === 'string') {
    return { malformed: false, reason: failure.message };
  }
  return { malformed: false, reason: String(failure) };
}

/** Where a message is, for logs: never its value, only its topic, position and key (a verification id). */
export function describeMessage(message: IncomingMessage): string {
  return `${message.topic}[${message.partition ?? 0}]@${message.offset ?? '?'} key=${message.key}`;
}

/** `payload`: the message, or for a batch handler (BatchEventPattern) the messages. */
async function invoke(handler: MessageHandler, payload: IncomingMessage | IncomingMessage[], context: MessageContext): Promise<void> {
  try {
    const result: unknown = await handler(payload, context);
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  } catch (err) {
    // What NestJS's exception filters let through, unless MessageFailureInterceptor noted the handler's own error.
    const recorded = context.recordedFailure();
    throw err instanceof MalformedMessageError || !recorded ? err : recorded.error;
  }
}

/**
 * What both transports share: finding the topics of the `@EventPattern` handlers, and delivering a message
 * to its handler with the failure rules (malformed → dead letter; other errors → retries with exponential
 * backoff, then dead letter). A delivery never throws, so a failing handler never stops a consumer.
 */
export abstract class MessageServer extends Server implements CustomTransportStrategy, ConsumerReadiness {
  protected override readonly logger: Logger;
  protected readonly policy: RetryPolicy;
  /** Aborted by close(): retries and waits stop, unfinished messages stay undelivered (delivered again later). */
  protected readonly stopping = new AbortController();
  private readonly inFlight = new Set<Promise<DeliveryOutcome>>();
  /** Deliveries of interactive (not batch-lane) topics in progress: batch-lane work yields to them. */
  private interactiveInFlight = 0;
  private consumingSinceMs: number | null = null;

  protected constructor(
    protected readonly config: MessagingConfig,
    loggerContext: string,
  ) {
    super();
    this.logger = new Logger(loggerContext);
    this.policy = retryPolicyOf(config.consumer);
  }

  /** See ConsumerReadiness: since when this server has been consuming without interruption, or null. */
  consumingSince(): number | null {
    return this.consumingSinceMs;
  }

  isConsuming(): boolean {
    return this.consumingSinceMs !== null;
  }

  /** The transport has started (or resumed) consuming; keeps the earlier instant if it never stopped. */
  protected markConsuming(): void {
    this.consumingSinceMs ??= Date.now();
  }

  /** The transport has stopped consuming (closing, rebalancing, crashed). */
  protected markNotConsuming(): void {
    this.consumingSinceMs = null;
  }

  /** Server events are not used by this transport. */
  override on(): never {
    throw new Error(`${this.constructor.name} has no server events`);
  }

  /** Publishes one dead letter; may throw (it is retried until it succeeds or the server closes). */
  protected abstract publishDeadLetter(message: OutgoingMessage): Promise<void>;

  /** The topics that have a handler: exactly what the server subscribes to. */
  protected handledTopics(): string[] {
    const topics: string[] = [];
    for (const [pattern, handler] of this.getHandlers()) {
      if (!TOPIC_NAME.test(pattern)) {
        this.logger.warn(`pattern ${pattern} is not a topic name; its handler is ignored`);
        continue;
      }
      if (!handler.isEventHandler) {
        this.logger.warn(`@MessagePattern('${pattern}') is handled as an event: no reply is sent (use @EventPattern)`);
      }
      topics.push(pattern);
    }
    return topics;
  }

  /** Delivers `message` to its handler under the failure rules; resolves with the outcome, never rejects. */
  protected deliver(message: IncomingMessage, beforeAttempt?: () => Promise<void>): Promise<DeliveryOutcome> {
    const delivery = this.runDelivery(message, beforeAttempt).catch((err: unknown) => {
      this.logger.error(`${describeMessage(message)}: delivery failed unexpectedly: ${describeFailure(err).reason}`);
      return 'aborted' as const;
    });
    this.track(delivery, message.topic);
    return delivery;
  }

  private track(delivery: Promise<DeliveryOutcome>, topic: string): void {
    const interactive = !isBatchLaneTopic(topic);
    if (interactive) this.interactiveInFlight += 1;
    this.inFlight.add(delivery);
    void delivery.finally(() => {
      this.inFlight.delete(delivery);
      if (interactive) this.interactiveInFlight -= 1;
    });
  }

  /**
   * Called before each wave of batch-lane messages: waits (at most maxWaitMs, so a batch is never starved)
   * while this process is handling interactive messages. Lanes are separate queues, but they share the
   * process's CPU and database connections; this gives an officer's single check the first claim on them.
   */
  protected async yieldToInteractive(maxWaitMs = 2000): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    while (this.interactiveInFlight > 0 && Date.now() < deadline) {
      if (!(await sleep(5, this.stopping.signal))) return;
    }
  }

  /** Whether the topic's handler takes many messages at once (BatchEventPattern), and how many. */
  protected batchSizeOf(topic: string): number | undefined {
    return batchOptionsOf(this.getHandlerByPattern(topic))?.maxBatchSize;
  }

  /**
   * Delivers messages of one topic (in log order) to its batch handler in one call; if that call fails,
   * each message again alone, in order, under the per-message rules. Resolves with one outcome per message.
   */
  protected async deliverBatch(messages: IncomingMessage[], beforeAttempt?: () => Promise<void>): Promise<DeliveryOutcome[]> {
    if (messages.length === 0) return [];
    const handler = this.getHandlerByPattern(messages[0].topic);
    if (!handler || messages.length === 1) return Promise.all(messages.map((m) => this.deliver(m, beforeAttempt)));
    if (this.stopping.signal.aborted) return messages.map(() => 'aborted');
    if (beforeAttempt) await beforeAttempt().catch(() => undefined);
    const whole = (async () => {
      try {
        await withTimeout(
          invoke(handler, messages, new MessageContext(messages[0], 1)),
          this.policy.handlerTimeoutMs,
          `batch handler of ${messages[0].topic}`,
        );
        return true;
      } catch (err) {
        const first = describeMessage(messages[0]);
        this.logger.warn(`${first} and ${messages.length - 1} more: the batch failed, handling them one at a time: ${describeFailure(err).reason}`);
        return false;
      }
    })();
    this.track(
      whole.then((ok) => (ok ? 'handled' : 'aborted')),
      messages[0].topic,
    );
    if (await whole) return messages.map(() => 'handled');
    const outcomes: DeliveryOutcome[] = [];
    for (const message of messages) {
      const outcome = await this.deliver(message, beforeAttempt);
      outcomes.push(outcome);
      if (outcome === 'aborted') return [...outcomes, ...messages.slice(outcomes.length).map(() => 'aborted' as const)];
    }
    return outcomes;
  }

  /** Waits (bounded) for deliveries in progress to settle, after `stopping` was aborted. */
  protected async settleInFlight(timeoutMs: number): Promise<void> {
    if (this.inFlight.size === 0) return;
    await withTimeout(Promise.allSettled([...this.inFlight]), timeoutMs, 'waiting for handlers in progress').catch(
      (err: Error) => this.logger.warn(err.message),
    );
  }

  private async runDelivery(message: IncomingMessage, beforeAttempt?: () => Promise<void>): Promise<DeliveryOutcome> {
    const handler = this.getHandlerByPattern(message.topic);
    if (!handler) {
      this.logger.error(`${describeMessage(message)}: no handler for this topic; skipped`);
      return 'skipped';
    }
    const signal = this.stopping.signal;
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) return 'aborted';
      if (beforeAttempt) await beforeAttempt().catch(() => undefined);
      let failure: unknown;
      try {
        await withTimeout(
          // A batch handler takes an array: here, of this one message.
          invoke(handler, batchOptionsOf(handler) ? [message] : message, new MessageContext(message, attempt)),
          this.policy.handlerTimeoutMs,
          `handler of ${message.topic}`,
        );
        return 'handled';
      } catch (err) {
        failure = err;
      }
      const { malformed, reason } = describeFailure(failure);
      if (malformed) return this.deadLetter(message, reason);
      if (attempt >= this.policy.attempts) {
        this.logger.error(`${describeMessage(message)} failed ${attempt} times, giving up: ${reason}`);
        return this.deadLetter(message, reason);
      }
      const delay = this.backoff(attempt);
      this.logger.warn(
        `${describeMessage(message)} failed (attempt ${attempt}/${this.policy.attempts}), retrying in ${delay} ms: ${reason}`,
      );
      if (!(await sleep(delay, signal))) return 'aborted';
    }
  }

  private async deadLetter(message: IncomingMessage, reason: string): Promise<DeliveryOutcome> {
    if (message.topic === DEAD_LETTER_TOPIC) {
      this.logger.error(`${describeMessage(message)}: a dead letter could not be handled (${reason}); skipped`);
      return 'skipped';
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.publishDeadLetter(deadLetterOf(message, reason));
        this.logger.error(`${describeMessage(message)} moved to ${DEAD_LETTER_TOPIC}: ${reason}`);
        return 'dead-lettered';
      } catch (err) {
        const delay = this.backoff(attempt);
        this.logger.warn(
          `${describeMessage(message)}: dead-lettering failed, retrying in ${delay} ms: ${describeFailure(err).reason}`,
        );
        if (!(await sleep(delay, this.stopping.signal))) return 'aborted';
      }
    }
  }

  private backoff(attempt: number): number {
    return Math.min(this.policy.initialDelayMs * 2 ** (attempt - 1), this.policy.maxDelayMs);
  }
}
