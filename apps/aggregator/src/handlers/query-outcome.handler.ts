import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { QueryAnswered, QueryFailed, Topics } from '@verihub/contracts';
import { decodeMessage, type IncomingMessage } from '@verihub/messaging';
import { answerOutcomeFrom, failureOutcomeFrom } from '../messages/incoming-messages';
import { type ProviderOutcome, RecordAnswerUseCase } from '../use-cases/record-answer.use-case';
import { toMessagingError } from './aggregator-exception.mapper';

/** Providers answer the aggregator's requests, or say why they cannot. */
@Controller()
export class QueryOutcomeHandler {
  constructor(private readonly recordAnswer: RecordAnswerUseCase) {}

  @EventPattern(Topics.queryAnswered)
  async answered(@Payload() message: IncomingMessage): Promise<void> {
    return this.record(answerOutcomeFrom(decodeMessage(message, QueryAnswered)));
  }

  @EventPattern(Topics.queryFailed)
  async failed(@Payload() message: IncomingMessage): Promise<void> {
    return this.record(failureOutcomeFrom(decodeMessage(message, QueryFailed)));
  }

  private async record(outcome: ProviderOutcome): Promise<void> {
    await this.recordAnswer.execute(outcome).catch((err: unknown) => {
      throw toMessagingError(err);
    });
  }
}
