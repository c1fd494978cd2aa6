import { Body, Controller, HttpCode, HttpStatus, Param, Post, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AccessRefusalAuditFilter } from '../audit/access-refusal-audit.filter';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { SignReportDto } from './review.dto';
import { ReportSignatureView } from './review.views';
import { SIGN_ROLES } from './review-access';
import { SignReportUseCase } from './sign-report.use-case';

@ApiTags('review')
@ApiBearerAuth()
@UseFilters(AccessRefusalAuditFilter)
@Controller('api/v1/verifications')
export class ReportSignatureController {
  constructor(private readonly signReport: SignReportUseCase) {}

  @Post(':id/report/signature')
  @Roles(...SIGN_ROLES)
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Sign a report version (reviewers of the verification’s region)',
    description:
      'Signs the newest report version; the signature (who, when, comment) then shows as `review` in GET …/report. ' +
      'A signed version is never changed. 404 when the version does not exist, 409 when a newer version exists ' +
      '(report-version-superseded) or the version is already signed (report-already-signed). Officers, auditors and ' +
      'administrators may not sign (403); another region’s verification is not found (404).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: ReportSignatureView })
  @ApiProblems(400, 401, 403, 404, 409)
  sign(@CurrentActor() actor: Actor, @Param('id', UuidParamPipe) id: string, @Body() body: SignReportDto): Promise<ReportSignatureView> {
    return this.signReport.execute(actor, id, body);
  }
}
