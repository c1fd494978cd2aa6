/**
 * The adapter's only message handler. Its topic is the provider's request topic, known only at run time,
 * so the controller class is built per adapter. Thin: decode, then the use case.
 */
import { Controller, Inject, type Type } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { QueryRequested, bothLanes } from '@verihub/contracts';
import { decodeMessage, type IncomingMessage } from '@verihub/messaging';
import { AdapterAuditTrail } from './adapter-audit';
import { AnswerQueryUseCase } from './answer-query.use-case';

export function createQueryRequestedController(topic: string): Type<unknown> {
  @Controller()
  class QueryRequestedController {
    constructor(
      @Inject(AnswerQueryUseCase) private readonly answerQuery: AnswerQueryUseCase,
      @Inject(AdapterAuditTrail) private readonly audit: AdapterAuditTrail,
    ) {}

    // Both lanes: batch requests arrive on their own topic, consumed apart (libs/messaging), so they never delay interactive ones.
    @EventPattern(bothLanes(topic))
    async handle(@Payload() message: IncomingMessage): Promise<void> {
      const request = await this.audit.decode(() => decodeMessage(message, QueryRequested));
      // The answer goes back on the lane the request came by, whatever the request says of itself.
      await this.answerQuery.execute({ ...request, interactive: message.topic === topic });
    }
  }
  return QueryRequestedController;
}
