import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Topics, VerificationUpdated, bothLanes } from '@verihub/contracts';
import { BatchEventPattern, decodeMessage, MalformedMessageError, type IncomingMessage } from '@verihub/messaging';
import { RecordVerificationUpdateUseCase, UnknownVerifications } from './record-verification-update.use-case';
import { InvalidVerificationUpdate, toVerificationUpdate, type VerificationUpdate } from './verification-update';

/**
 * The aggregator's `verihub.verification.updated.v1` into the gateway's read model. Undecodable or
 * invalid messages, and updates of a verification this gateway never accepted, are dead-lettered;
 * any other failure (e.g. the database) is retried by the transport.
 *
 * Updates arrive in batches (a partition's messages in log order, BatchEventPattern) and are applied in one
 * transaction per batch (RecordVerificationUpdateUseCase.executeBatch). A batch with a message that can never
 * be applied fails whole, before anything is written, and the transport hands its messages over again one at
 * a time — so that message alone is dead-lettered, as it always was.
 */
@Controller()
export class VerificationUpdatedHandler {
  constructor(private readonly recordUpdate: RecordVerificationUpdateUseCase) {}

  @BatchEventPattern(bothLanes(Topics.verificationUpdated))
  async handle(@Payload() messages: IncomingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    // Decoded and checked before the transaction: a message that cannot be read fails the batch at once.
    const updates = messages.map((message) => updateOf(message));
    try {
      await this.recordUpdate.executeBatch(updates);
    } catch (err) {
      if (err instanceof UnknownVerifications) throw new MalformedMessageError(`${messages[0].topic}: ${err.message}`);
      throw err;
    }
  }
}

function updateOf(message: IncomingMessage): VerificationUpdate {
  const decoded = decodeMessage(message, VerificationUpdated);
  try {
    return toVerificationUpdate(decoded);
  } catch (err) {
    if (err instanceof InvalidVerificationUpdate) throw new MalformedMessageError(`${message.topic}: ${err.message}`);
    throw err;
  }
}
