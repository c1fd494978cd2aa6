import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res, StreamableFile, UseFilters } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AccessRefusalAuditFilter } from '../audit/access-refusal-audit.filter';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { CreateVerificationDto } from './create-verification.dto';
import { CreateVerificationUseCase } from './create-verification.use-case';
import { ExportReportUseCase } from './export-report.use-case';
import { GetReportUseCase } from './get-report.use-case';
import { GetVerificationUseCase } from './get-verification.use-case';
import { ListReportVersionsUseCase } from './list-report-versions.use-case';
import { ListVerificationsUseCase } from './list-verifications.use-case';
import { ReportRenderer } from './report-renderer';
import { CREATE_ROLES, READ_ROLES, REPORT_ROLES } from './verification-access';
import {
  ListVerificationsQuery,
  ReportQuery,
  ReportVersionListView,
  VerificationCreatedView,
  VerificationDetailView,
  VerificationPageView,
} from './verification.views';

const JSON_TYPE = 'application/json';

@ApiTags('verifications')
@ApiBearerAuth()
@UseFilters(AccessRefusalAuditFilter)
@Controller('api/v1/verifications')
export class VerificationsController {
  constructor(
    private readonly createVerification: CreateVerificationUseCase,
    private readonly listVerifications: ListVerificationsUseCase,
    private readonly getVerification: GetVerificationUseCase,
    private readonly getReport: GetReportUseCase,
    private readonly listReportVersions: ListReportVersionsUseCase,
    private readonly exportReport: ExportReportUseCase,
    private readonly renderer: ReportRenderer,
  ) {}

  @Post()
  @Roles(...CREATE_ROLES)
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Submit a household for verification',
    description:
      'Checks identity numbers (check character), exactly one applicant, no member twice and a valid authorization per member, ' +
      'finds the policy in force on asOf, then stores the request and asks the providers. A refused request stores nothing. ' +
      'Officers submit for their own region only.',
  })
  @ApiCreatedResponse({ type: VerificationCreatedView })
  @ApiProblems(400, 401, 403, 422)
  create(@CurrentActor() actor: Actor, @Body() body: CreateVerificationDto): Promise<VerificationCreatedView> {
    return this.createVerification.execute(actor, body);
  }

  @Get()
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: 'List verifications, newest first (officers and reviewers see their own region)' })
  @ApiOkResponse({ type: VerificationPageView })
  @ApiProblems(400, 401, 403)
  list(@CurrentActor() actor: Actor, @Query() query: ListVerificationsQuery): Promise<VerificationPageView> {
    return this.listVerifications.execute(actor, query);
  }

  @Get(':id')
  @Roles(...READ_ROLES)
  @ApiOperation({ summary: 'A verification: status, each source’s state and the newest report once issued' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: VerificationDetailView })
  @ApiProblems(400, 401, 403, 404)
  get(@CurrentActor() actor: Actor, @Param('id', UuidParamPipe) id: string): Promise<VerificationDetailView> {
    return this.getVerification.execute(actor, id);
  }

  @Get(':id/report')
  @Roles(...REPORT_ROLES)
  @ApiOperation({
    summary: 'The newest report version (or ?version=N)',
    description:
      'JSON by default; `Accept: application/pdf` gives the printable report (居民家庭经济状况核对报告) as an attachment ' +
      '"<reportNumber>-v<version>.pdf", with the review signature when the version is signed.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces(JSON_TYPE, 'application/pdf')
  @ApiOkResponse({ description: 'the report document (api.md "Report")', schema: { type: 'object', additionalProperties: true } })
  @ApiProblems(400, 401, 403, 404, 406)
  async report(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Query() query: ReportQuery,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Record<string, unknown> | StreamableFile> {
    const wanted = request.accepts([JSON_TYPE, ...new Set(['application/pdf', ...this.renderer.mediaTypes])]);
    if (!wanted || wanted === JSON_TYPE) return (await this.getReport.execute(actor, id, query.version)).report;
    if (!this.renderer.mediaTypes.includes(wanted)) {
      throw new GatewayException(
        GatewayExceptionCode.REPRESENTATION_NOT_AVAILABLE,
        `The report is available as ${JSON_TYPE} only; PDF arrives with the report issue.`,
      );
    }
    const rendered = await this.exportReport.execute(actor, id, query.version, wanted);
    response.setHeader('Content-Type', rendered.contentType);
    return new StreamableFile(rendered.body, { disposition: `attachment; filename="${rendered.fileName}"` });
  }

  @Get(':id/report/versions')
  @Roles(...REPORT_ROLES)
  @ApiOperation({ summary: 'Every issued report version, oldest first, with why it exists and what changed' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ReportVersionListView })
  @ApiProblems(400, 401, 403, 404)
  versions(@CurrentActor() actor: Actor, @Param('id', UuidParamPipe) id: string): Promise<ReportVersionListView> {
    return this.listReportVersions.execute(actor, id);
  }
}
