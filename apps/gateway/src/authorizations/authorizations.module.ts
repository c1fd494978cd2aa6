import { Module } from '@nestjs/common';
import { AuthorizationRepository } from './authorization.repository';
import { AuthorizationsController } from './authorizations.controller';
import { ListAuthorizationsUseCase } from './list-authorizations.use-case';
import { RevokeAuthorizationUseCase } from './revoke-authorization.use-case';

/** Authorization records (授权书): listing and revocation; the repository serves verifications and re-checks too. */
@Module({
  controllers: [AuthorizationsController],
  providers: [AuthorizationRepository, ListAuthorizationsUseCase, RevokeAuthorizationUseCase],
  exports: [AuthorizationRepository],
})
export class AuthorizationsModule {}
