import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics, VerificationUpdated, bothLanes } from '@verihub/contracts';
import { decodeMessage, MalformedMessageError, type IncomingMessage } from '@verihub/messaging';
import { RecordVerificationUpdateUseCase } from './record-verification-update.use-case';
import { InvalidVerificationUpdate, toVerificationUpdate, type VerificationUpdate } from './verification-update';

/**
 * The aggregator's `verihub.verification.updated.v1` into the gateway's read model. Undecodable or
 * invalid messages, and updates of a verification this gateway never accepted, are dead-lettered;
 * any other failure (e.g. the database) is retried by the transport.
 */
@Controller()
export class VerificationUpdatedHandler {
  private readonly logger = new Logger(VerificationUpdatedHandler.name);

  constructor(private readonly recordUpdate: RecordVerificationUpdateUseCase) {}

  @EventPattern(bothLanes(Topics.verificationUpdated))
  async handle(@Payload() message: IncomingMessage): Promise<void> {
    const decoded = decodeMessage(message, VerificationUpdated);
    let update: VerificationUpdate;
    try {
      update = toVerificationUpdate(decoded);
    } catch (err) {
      if (err instanceof InvalidVerificationUpdate) throw new MalformedMessageError(`${message.topic}: ${err.message}`);
      throw err;
    }
    const outcome = await this.recordUpdate.execute(update);
    if (outcome === 'unknown_verification') {
      throw new MalformedMessageError(`${message.topic}: no verification ${update.verificationId} in this gateway`);
    }
    this.logger.debug(`verification ${update.verificationId}: update ${outcome}`);
  }
}
