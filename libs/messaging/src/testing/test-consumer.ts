import { Controller, type DynamicModule, Inject, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { IncomingMessage, MessagingConfig } from '../message';
import { MessagingModule } from '../messaging.module';
import { MessageContext } from '../message-context';
import { BatchEventPattern } from '../batch-event-pattern';

/** Test double of an app's handlers: records what arrives and behaves as each test tells it. */
export class Inbox {
  readonly received: { message: IncomingMessage; attempt: number }[] = [];
  /** Per key: what the handler does on a given attempt (resolve, or throw). */
  readonly behaviour = new Map<string, (attempt: number) => Promise<void> | void>();

  async handle(message: IncomingMessage, context: MessageContext): Promise<void> {
    this.received.push({ message, attempt: context.getAttempt() });
    await this.behaviour.get(message.key)?.(context.getAttempt());
  }

  handled(topic: string): IncomingMessage[] {
    return this.received.filter((r) => r.message.topic === topic).map((r) => r.message);
  }
}

export const INBOX = 'TEST_INBOX';

/** A consumer app with handlers for `topics` (they must be literal: @EventPattern is static). */
export function testConsumerModule(config: MessagingConfig, inbox: Inbox, topics: readonly [string, string]): DynamicModule {
  @Controller()
  class TestHandlers {
    constructor(@Inject(INBOX) private readonly inbox: Inbox) {}

    @EventPattern(topics[0])
    first(@Payload() message: IncomingMessage, @Ctx() context: MessageContext): Promise<void> {
      return this.inbox.handle(message, context);
    }

    @EventPattern(topics[1])
    second(@Payload() message: IncomingMessage, @Ctx() context: MessageContext): Promise<void> {
      return this.inbox.handle(message, context);
    }
  }

  @Module({})
  class TestConsumerModule {}

  return {
    module: TestConsumerModule,
    imports: [MessagingModule.forRoot(config)],
    controllers: [TestHandlers],
    providers: [{ provide: INBOX, useValue: inbox }],
  };
}

/** Polls until `check` holds; fails with `what` after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Test double of a batch handler (BatchEventPattern): records each call's messages and behaves as told. */
export class BatchInbox {
  /** One entry per handler call: the messages it was given, in order. */
  readonly calls: IncomingMessage[][] = [];
  /** Messages the handler completed, in the order it completed them. */
  readonly handled: IncomingMessage[] = [];
  /** Runs before anything of a call is kept; throwing fails the whole call (nothing of it is kept). */
  behaviour: (messages: IncomingMessage[], callNumber: number) => Promise<void> | void = () => undefined;

  async handle(messages: IncomingMessage[]): Promise<void> {
    this.calls.push(messages);
    await this.behaviour(messages, this.calls.length);
    this.handled.push(...messages);
  }
}

/** A consumer app whose handler of `topic` is a batch handler of at most `maxBatchSize` messages a call. */
export function testBatchConsumerModule(config: MessagingConfig, inbox: BatchInbox, topic: string, maxBatchSize: number): DynamicModule {
  @Controller()
  class TestBatchHandlers {
    constructor(@Inject(INBOX) private readonly inbox: BatchInbox) {}

    @BatchEventPattern(topic, { maxBatchSize })
    handle(@Payload() messages: IncomingMessage[]): Promise<void> {
      return this.inbox.handle(messages);
    }
  }

  @Module({})
  class TestBatchConsumerModule {}

  return {
    module: TestBatchConsumerModule,
    imports: [MessagingModule.forRoot(config)],
    controllers: [TestBatchHandlers],
    providers: [{ provide: INBOX, useValue: inbox }],
  };
}
