import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics, VerificationRequested, bothLanes } from '@verihub/contracts';
import { decodeMessage, type IncomingMessage } from '@verihub/messaging';
import { startVerificationCommandFrom } from '../messages/incoming-messages';
import { StartVerificationUseCase } from '../use-cases/start-verification.use-case';
import { toMessagingError } from './aggregator-exception.mapper';

/** The gateway asks for a verification (or a re-check of one). */
@Controller()
export class VerificationRequestedHandler {
  constructor(private readonly startVerification: StartVerificationUseCase) {}

  @EventPattern(bothLanes(Topics.verificationRequested))
  async handle(@Payload() message: IncomingMessage): Promise<void> {
    const command = startVerificationCommandFrom(decodeMessage(message, VerificationRequested));
    await this.startVerification.execute(command).catch((err: unknown) => {
      throw toMessagingError(err);
    });
  }
}
