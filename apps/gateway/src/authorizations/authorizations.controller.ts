import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AccessRefusalAuditFilter } from '../audit/access-refusal-audit.filter';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { AUTHORIZATION_ROLES } from './authorization-access';
import { AuthorizationListView, AuthorizationView, ListAuthorizationsQuery, RevokeAuthorizationDto } from './authorization.dto';
import { ListAuthorizationsUseCase } from './list-authorizations.use-case';
import { RevokeAuthorizationUseCase } from './revoke-authorization.use-case';

@ApiTags('authorizations')
@ApiBearerAuth()
@UseFilters(AccessRefusalAuditFilter)
@Controller('api/v1/authorizations')
export class AuthorizationsController {
  constructor(
    private readonly listAuthorizations: ListAuthorizationsUseCase,
    private readonly revokeAuthorization: RevokeAuthorizationUseCase,
  ) {}

  @Get()
  @Roles(...AUTHORIZATION_ROLES)
  @ApiOperation({
    summary: 'Authorization records (授权书) of your region, newest first (masked), optionally of one document reference',
    description: 'Officers and reviewers; records filed in the region or cited by its cases. At most 100.',
  })
  @ApiOkResponse({ type: AuthorizationListView })
  @ApiProblems(400, 401, 403)
  list(@CurrentActor() actor: Actor, @Query() query: ListAuthorizationsQuery): Promise<AuthorizationListView> {
    return this.listAuthorizations.execute(actor, query);
  }

  @Post(':id/revoke')
  @Roles(...AUTHORIZATION_ROLES)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Revoke an authorization: no further query about its member under it',
    description:
      'Officers and reviewers of a region that filed or cited it (another region’s record is 404). Afterwards a new ' +
      'verification citing it is refused (400 naming the member, "revoked"), an objection re-check of a case citing it is ' +
      'refused (422), and the aggregator is told (AuthorizationRevoked) so queries in flight stop. 409 when already revoked.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AuthorizationView })
  @ApiProblems(400, 401, 403, 404, 409)
  revoke(@CurrentActor() actor: Actor, @Param('id', UuidParamPipe) id: string, @Body() body: RevokeAuthorizationDto): Promise<AuthorizationView> {
    return this.revokeAuthorization.execute(actor, id, body);
  }
}
