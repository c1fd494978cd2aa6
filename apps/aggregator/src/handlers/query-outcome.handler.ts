import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { QueryAnswered, QueryFailed, Topics, bothLanes } from '@verihub/contracts';
import { decodeMessage, type IncomingMessage } from '@verihub/messaging';
import { AnswerSignatures } from '../messages/answer-signatures';
import { answerOutcomeFrom, failureOutcomeFrom, rejectedOutcomeOf } from '../messages/incoming-messages';
import { type ProviderOutcome, RecordAnswerUseCase } from '../use-cases/record-answer.use-case';
import { toMessagingError } from './aggregator-exception.mapper';

/**
 * Providers answer the aggregator's requests, or say why they cannot. Each answer and failure must be
 * signed by its provider's registered key; one that is not is recorded as `rejected` (RecordAnswerUseCase).
 */
@Controller()
export class QueryOutcomeHandler {
  constructor(
    private readonly recordAnswer: RecordAnswerUseCase,
    private readonly signatures: AnswerSignatures,
  ) {}

  @EventPattern(bothLanes(Topics.queryAnswered))
  async answered(@Payload() message: IncomingMessage): Promise<void> {
    const answer = decodeMessage(message, QueryAnswered);
    const outcome = answerOutcomeFrom(answer);
    const check = this.signatures.checkAnswered(answer);
    return this.record(check.ok ? { ...outcome, keyId: check.keyId } : rejectedOutcomeOf(outcome, check.reason));
  }

  @EventPattern(bothLanes(Topics.queryFailed))
  async failed(@Payload() message: IncomingMessage): Promise<void> {
    const failure = decodeMessage(message, QueryFailed);
    const outcome = failureOutcomeFrom(failure);
    const check = this.signatures.checkFailed(failure);
    return this.record(check.ok ? outcome : rejectedOutcomeOf(outcome, check.reason));
  }

  private async record(outcome: ProviderOutcome): Promise<void> {
    await this.recordAnswer.execute(outcome).catch((err: unknown) => {
      throw toMessagingError(err);
    });
  }
}
