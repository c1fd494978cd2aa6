import { Body, Controller, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { OpenReportForAuditDto } from './audit-opening.dto';
import { AUDIT_OPENING_ROLES, OpenReportForAuditUseCase } from './open-report-for-audit.use-case';

/** The header naming the opening (also the id of its audit_report_opened entry in the audit log). */
export const AUDIT_OPENING_HEADER = 'Verihub-Audit-Opening';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditOpeningsController {
  constructor(private readonly openReport: OpenReportForAuditUseCase) {}

  @Post('openings')
  @Roles(...AUDIT_OPENING_ROLES)
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Open a report body for an audit (auditors), giving the reason',
    description:
      'Auditors read no report body except through an opening: the opening (who, which version, when, the reason) is ' +
      'stored and recorded in the audit log as audit_report_opened before the report is returned. Answers the report ' +
      `document (as GET …/report) with the opening's id in the ${AUDIT_OPENING_HEADER} header. 404 for an unknown ` +
      'verification, a report not issued yet, or a version that does not exist; 503 when the opening cannot be recorded.',
  })
  @ApiCreatedResponse({ description: 'the report document (api.md "Report")', schema: { type: 'object', additionalProperties: true } })
  @ApiProblems(400, 401, 403, 404)
  async open(
    @CurrentActor() actor: Actor,
    @Body() body: OpenReportForAuditDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Record<string, unknown>> {
    const opening = await this.openReport.execute(actor, body);
    response.setHeader(AUDIT_OPENING_HEADER, opening.id);
    response.setHeader('Cache-Control', 'no-store');
    return opening.read.report;
  }
}
