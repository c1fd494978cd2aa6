import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AuthorizationRevoked, Topics } from '@verihub/contracts';
import { decodeMessage, type IncomingMessage } from '@verihub/messaging';
import { stopQueriesCommandFrom } from '../messages/incoming-messages';
import { StopQueriesOnRevocationUseCase } from '../use-cases/stop-queries-on-revocation.use-case';

/** The gateway revoked a member's authorization: no further queries about that person. */
@Controller()
export class AuthorizationRevokedHandler {
  constructor(private readonly stopQueries: StopQueriesOnRevocationUseCase) {}

  @EventPattern(Topics.authorizationRevoked)
  async handle(@Payload() message: IncomingMessage): Promise<void> {
    await this.stopQueries.execute(stopQueriesCommandFrom(decodeMessage(message, AuthorizationRevoked)));
  }
}
