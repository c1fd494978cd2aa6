import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Topics, VerificationRequested, bothLanes } from '@verihub/contracts';
import { BatchEventPattern, decodeMessage, type IncomingMessage } from '@verihub/messaging';
import { startVerificationCommandFrom } from '../messages/incoming-messages';
import { StartVerificationUseCase } from '../use-cases/start-verification.use-case';
import { toMessagingError } from './aggregator-exception.mapper';

/**
 * A batch's requests make about 17 rows each (the verification or round, a request and two outbox messages per
 * provider): at 100 a statement stays far below PostgreSQL's 65,535 parameters even with many more banks.
 */
const MAX_STARTS_PER_BATCH = 100;

/**
 * The gateway asks for verifications (or re-checks of them). They arrive in batches (a partition's messages in
 * log order, BatchEventPattern) and start in one transaction per batch (StartVerificationUseCase.executeBatch).
 * A batch with a message that can never start anything (undecodable, invalid, a re-check of an unknown
 * verification without its household) fails whole, before anything is written, and the transport hands its
 * messages over again one at a time — so that message alone is dead-lettered, as it always was.
 */
@Controller()
export class VerificationRequestedHandler {
  constructor(private readonly startVerification: StartVerificationUseCase) {}

  @BatchEventPattern(bothLanes(Topics.verificationRequested), { maxBatchSize: MAX_STARTS_PER_BATCH })
  async handle(@Payload() messages: IncomingMessage[]): Promise<void> {
    // Read before the transaction: a message that cannot be read fails the batch at once.
    const commands = messages.map((message) => startVerificationCommandFrom(decodeMessage(message, VerificationRequested)));
    await this.startVerification.executeBatch(commands).catch((err: unknown) => {
      throw toMessagingError(err);
    });
  }
}
