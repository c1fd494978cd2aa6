import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { QueryAnswered, QueryFailed, Topics, bothLanes } from '@verihub/contracts';
import { BatchEventPattern, decodeMessage, type IncomingMessage } from '@verihub/messaging';
import { AnswerSignatures } from '../messages/answer-signatures';
import { answerOutcomeFrom, failureOutcomeFrom, rejectedOutcomeOf } from '../messages/incoming-messages';
import { type ProviderOutcome, RecordAnswerUseCase } from '../use-cases/record-answer.use-case';
import { toMessagingError } from './aggregator-exception.mapper';

/**
 * Providers answer the aggregator's requests, or say why they cannot. Each answer and failure must be
 * signed by its provider's registered key; one that is not is recorded as `rejected` (RecordAnswerUseCase).
 *
 * Answers arrive in batches (a partition's messages in log order, BatchEventPattern) and are recorded in one
 * transaction per batch: the cost of an answer is in its statements, not its bytes. A batch with a message
 * that can never be processed (undecodable, an unknown request, ...) fails whole, before anything is written,
 * and the transport hands its messages over again one at a time — so that message alone is dead-lettered,
 * as it always was. An unsigned or forged answer is no such message: it is recorded (refused) in the batch.
 */
@Controller()
export class QueryOutcomeHandler {
  constructor(
    private readonly recordAnswer: RecordAnswerUseCase,
    private readonly signatures: AnswerSignatures,
  ) {}

  @BatchEventPattern(bothLanes(Topics.queryAnswered))
  async answered(@Payload() messages: IncomingMessage[]): Promise<void> {
    // Decoded and checked before the transaction: a message that cannot be read fails the batch at once.
    return this.record(messages.map((message) => this.answerOutcomeOf(message)));
  }

  @BatchEventPattern(bothLanes(Topics.queryFailed))
  async failed(@Payload() messages: IncomingMessage[]): Promise<void> {
    return this.record(messages.map((message) => this.failureOutcomeOf(message)));
  }

  private answerOutcomeOf(message: IncomingMessage): ProviderOutcome {
    const answer = decodeMessage(message, QueryAnswered);
    const outcome = answerOutcomeFrom(answer);
    const check = this.signatures.checkAnswered(answer);
    return check.ok ? { ...outcome, keyId: check.keyId } : rejectedOutcomeOf(outcome, check.reason);
  }

  private failureOutcomeOf(message: IncomingMessage): ProviderOutcome {
    const failure = decodeMessage(message, QueryFailed);
    const outcome = failureOutcomeFrom(failure);
    const check = this.signatures.checkFailed(failure);
    return check.ok ? outcome : rejectedOutcomeOf(outcome, check.reason);
  }

  private async record(outcomes: ProviderOutcome[]): Promise<void> {
    await this.recordAnswer.executeBatch(outcomes).catch((err: unknown) => {
      throw toMessagingError(err);
    });
  }
}
