/**
 * The adapter's only message handler. Its topic is the provider's request topic, known only at run time,
 * so the controller class is built per adapter. Thin: decode, then the use case.
 */
import { Controller, Inject, type Type } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { QueryRequested } from '@verihub/contracts';
import { decodeMessage, type IncomingMessage } from '@verihub/messaging';
import { AnswerQueryUseCase } from './answer-query.use-case';

export function createQueryRequestedController(topic: string): Type<unknown> {
  @Controller()
  class QueryRequestedController {
    constructor(@Inject(AnswerQueryUseCase) private readonly answerQuery: AnswerQueryUseCase) {}

    @EventPattern(topic)
    async handle(@Payload() message: IncomingMessage): Promise<void> {
      const request = decodeMessage(message, QueryRequested);
      await this.answerQuery.execute(request);
    }
  }
  return QueryRequestedController;
}
