import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { OBJECTION_WORKING_DAYS } from '@verihub/domain';
import { AccessRefusalAuditFilter } from '../audit/access-refusal-audit.filter';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { ListObjectionsUseCase } from './list-objections.use-case';
import { RecordObjectionUseCase } from './record-objection.use-case';
import { RecordObjectionDto } from './review.dto';
import { ObjectionListView, ObjectionView } from './review.views';
import { OBJECTION_READ_ROLES, OBJECTION_RECORD_ROLES } from './review-access';

@ApiTags('review')
@ApiBearerAuth()
@UseFilters(AccessRefusalAuditFilter)
@Controller('api/v1/verifications')
export class ObjectionsController {
  constructor(
    private readonly recordObjection: RecordObjectionUseCase,
    private readonly listObjections: ListObjectionsUseCase,
  ) {}

  @Post(':id/objections')
  @Roles(...OBJECTION_RECORD_ROLES)
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Record the household’s objection (异议) to the signed report and start a re-check',
    description:
      `Officers and reviewers of the verification’s region. Allowed only when the newest report version is signed, ` +
      `and within ${OBJECTION_WORKING_DAYS} working days (Monday–Friday, Asia/Shanghai; public holidays are not taken into account) ` +
      'of the household’s receipt of the report — the signature time unless `reportReceivedAt` says otherwise. ' +
      'Stores the objection and asks the aggregator for a re-check in one transaction: every provider is asked again, ' +
      'the verification is pending until report version N+1 arrives (its changeReason names the objection). ' +
      '422 report-not-signed, 422 objection-period-over, 422 objection-dates-inconsistent, 409 objection-already-open; nothing is stored on refusal.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: ObjectionView })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  record(@CurrentActor() actor: Actor, @Param('id', UuidParamPipe) id: string, @Body() body: RecordObjectionDto): Promise<ObjectionView> {
    return this.recordObjection.execute(actor, id, body);
  }

  @Get(':id/objections')
  @Roles(...OBJECTION_READ_ROLES)
  @ApiOperation({ summary: 'The verification’s objections, oldest first, with the version each concerns and the version that answered it' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ObjectionListView })
  @ApiProblems(400, 401, 403, 404)
  list(@CurrentActor() actor: Actor, @Param('id', UuidParamPipe) id: string): Promise<ObjectionListView> {
    return this.listObjections.execute(actor, id);
  }
}
