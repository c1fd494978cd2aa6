import { BaseRpcContext } from '@nestjs/microservices';
import type { IncomingMessage } from './message';

/** What `@Ctx()` gives a handler: the message and which attempt this is (1 = first delivery). */
export class MessageContext extends BaseRpcContext<[message: IncomingMessage, attempt: number]> {
  private failure?: { error: unknown };

  constructor(message: IncomingMessage, attempt: number) {
    super([message, attempt]);
  }

  getMessage(): IncomingMessage {
    return this.args[0];
  }

  getAttempt(): number {
    return this.args[1];
  }

  /** Set by MessageFailureInterceptor: the handler's own error, before NestJS's exception filters see it. */
  recordFailure(error: unknown): void {
    this.failure = { error };
  }

  recordedFailure(): { error: unknown } | undefined {
    return this.failure;
  }
}
