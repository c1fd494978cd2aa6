import { applyDecorators, Controller, Get, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../auth/auth.decorators';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { AuditForwarder } from './audit-forwarder';

interface QueryParam {
  name: string;
  description: string;
  format?: 'uuid' | 'date-time';
}

const FILTERS: QueryParam[] = [
  { name: 'officer', description: 'username of the acting user' },
  {
    name: 'idNumber',
    description: 'a person’s resident identity number, searched by its keyed hash (never stored or logged); prefer the POST form, which keeps it out of URLs',
  },
  { name: 'provider', description: 'provider id, e.g. bank:ICBC' },
  { name: 'verificationId', description: 'verification id', format: 'uuid' },
  { name: 'program', description: 'programme' },
  { name: 'action', description: 'audit action, e.g. report_read' },
  { name: 'from', description: 'occurred at or after (ISO 8601 with offset)', format: 'date-time' },
  { name: 'to', description: 'occurred at or before (ISO 8601 with offset)', format: 'date-time' },
];
const PAGING: QueryParam[] = [
  { name: 'page', description: 'page number (default 1)' },
  { name: 'pageSize', description: 'entries per page (≤ 200, default 50)' },
];

const filterQueries = (extra: QueryParam[] = []) =>
  [...FILTERS, ...extra].map((q) =>
    ApiQuery({ name: q.name, required: false, description: q.description, schema: q.format ? { type: 'string', format: q.format } : { type: 'string' } }),
  );

function Forwarded(summary: string): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      summary,
      description:
        'Served by the audit service (apps/audit), forwarded unchanged by the gateway with the caller’s token. Auditors only. ' +
        '502 audit-service-unreachable when the audit service does not answer; 503 audit-service-not-configured without VERIHUB_AUDIT_URL.',
    }),
    ApiProblems(400, 401, 403),
    ApiResponse({ status: 502, description: 'The audit service did not answer' }),
    ApiResponse({ status: 503, description: 'No audit service configured (VERIHUB_AUDIT_URL)' }),
  );
}

const FILTER_BODY = ApiBody({
  description: 'the filters of the GET form (officer, idNumber, provider, verificationId, program, action, from, to; page and pageSize for a search)',
  schema: { type: 'object', additionalProperties: true },
});

/**
 * The auditor API of the audit service, reached through the gateway (the single public entry). The gateway
 * checks the caller is an auditor before anything is forwarded; the audit service checks again.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditForwardingController {
  constructor(private readonly forwarder: AuditForwarder) {}

  @Get('entries')
  @Roles('auditor')
  @Forwarded('Search the audit log, newest first (recorded as audit_searched)')
  @applyDecorators(...filterQueries(PAGING))
  @ApiOkResponse({ description: '{items, total, page, pageSize}', schema: { type: 'object', additionalProperties: true } })
  entries(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.forwarder.forward(req, res);
  }

  @Post('entries/search')
  @Roles('auditor')
  @HttpCode(HttpStatus.OK)
  @Forwarded('The same search with the filters in a JSON body (keeps an identity number out of URLs)')
  @FILTER_BODY
  @ApiOkResponse({ description: '{items, total, page, pageSize}', schema: { type: 'object', additionalProperties: true } })
  search(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.forwarder.forward(req, res);
  }

  @Get('entries.csv')
  @Roles('auditor')
  @Forwarded('Export the matching entries as CSV, oldest first (recorded as audit_exported); streamed')
  @applyDecorators(...filterQueries())
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'a header row, then one row per entry', schema: { type: 'string' } })
  entriesCsv(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.forwarder.forward(req, res);
  }

  @Post('entries/export')
  @Roles('auditor')
  @HttpCode(HttpStatus.OK)
  @Forwarded('The same CSV export with the filters in a JSON body; streamed')
  @FILTER_BODY
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'a header row, then one row per entry', schema: { type: 'string' } })
  export(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.forwarder.forward(req, res);
  }

  @Get('anomalies')
  @Roles('auditor')
  @Forwarded('Anomaly flags of the entries that occurred in the window (default the last 7 days)')
  @ApiQuery({ name: 'from', required: false, description: 'window start (ISO 8601 with offset)', schema: { type: 'string', format: 'date-time' } })
  @ApiQuery({ name: 'to', required: false, description: 'window end (ISO 8601 with offset)', schema: { type: 'string', format: 'date-time' } })
  @ApiOkResponse({ description: 'the flags, the window and the thresholds in force', schema: { type: 'object', additionalProperties: true } })
  anomalies(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.forwarder.forward(req, res);
  }

  @Get('chain')
  @Roles('auditor')
  @Forwarded('Check the whole hash chain of the audit log')
  @ApiOkResponse({ description: '{ok, count, lastSequence, headHash} or {ok:false, count, firstBrokenSequence, reason, detail}', schema: { type: 'object', additionalProperties: true } })
  chain(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.forwarder.forward(req, res);
  }
}
