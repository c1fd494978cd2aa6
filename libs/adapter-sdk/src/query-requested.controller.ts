/**
 * The adapter's only message handler. Its topic is the provider's request topic, known only at run time,
 * so the controller class is built per adapter. Thin: decode, then the use case.
 */
import { Controller, Inject, type Type } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { QueryRequested, bothLanes } from '@verihub/contracts';
import { BatchEventPattern, decodeMessage, type IncomingMessage } from '@verihub/messaging';
import { AdapterAuditTrail } from './adapter-audit';
import { AnswerQueryUseCase } from './answer-query.use-case';

/** Requests answered in one call: one transaction, one publish, one lookup query per table for them all. */
export const MAX_REQUESTS_PER_BATCH = 100;

export function createQueryRequestedController(topic: string): Type<unknown> {
  @Controller()
  class QueryRequestedController {
    constructor(
      @Inject(AnswerQueryUseCase) private readonly answerQuery: AnswerQueryUseCase,
      @Inject(AdapterAuditTrail) private readonly audit: AdapterAuditTrail,
    ) {}

    // Both lanes: batch requests arrive on their own topic, consumed apart (libs/messaging), so they never delay interactive ones.
    @BatchEventPattern(bothLanes(topic), { maxBatchSize: MAX_REQUESTS_PER_BATCH })
    async handle(@Payload() messages: IncomingMessage[]): Promise<void> {
      // The answer goes back on the lane the request came by, whatever the request says of itself.
      const onItsLane = (request: QueryRequested, message: IncomingMessage) => ({ ...request, interactive: message.topic === topic });
      if (messages.length === 1) {
        // Alone (also the transport's fallback after a failed batch): an undecodable message is audited, then dead-lettered.
        const request = await this.audit.decode(() => decodeMessage(messages[0], QueryRequested));
        await this.answerQuery.execute(onItsLane(request, messages[0]));
        return;
      }
      // An undecodable message fails the whole batch unaudited: the transport hands each over alone, above.
      await this.answerQuery.executeMany(messages.map((m) => onItsLane(decodeMessage(m, QueryRequested), m)));
    }
  }
  return QueryRequestedController;
}
