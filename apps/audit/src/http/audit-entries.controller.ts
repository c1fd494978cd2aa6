import { Body, Controller, Get, Header, HttpCode, HttpStatus, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Readable } from 'stream';
import type { Auditor } from '../auth/auditor';
import { CurrentAuditor } from '../auth/auditor.guard';
import { AuditException } from '../errors/audit.exception';
import { ApiProblems } from '../openapi/openapi';
import { ExportAuditLogUseCase } from '../use-cases/export-audit-log.use-case';
import type { AuditSearchCriteria } from '../use-cases/audit-search';
import { SearchAuditLogUseCase } from '../use-cases/search-audit-log.use-case';
import { csvHeader, csvRow } from './audit-csv';
import { AuditFilterQuery, AuditSearchQuery, DEFAULT_PAGE_SIZE } from './audit-log.dto';
import { AuditEntryPageView, pageView } from './audit-log.views';

const CSV_TYPE = 'text/csv; charset=utf-8';

/** Identity numbers never travel in URLs (they end up in proxies' and browsers' logs): the GET forms refuse one. */
function refuseIdentityNumberInUrl(query: AuditFilterQuery, bodyRoute: string): void {
  if (query.idNumber !== undefined) {
    throw AuditException.invalidInput([
      { field: 'idNumber', message: `must not be sent in a URL: send it in the JSON body of POST /api/v1/audit/${bodyRoute}` },
    ]);
  }
}

function criteriaOf(query: AuditFilterQuery): AuditSearchCriteria {
  if (query.from && query.to && Date.parse(query.from) > Date.parse(query.to)) {
    throw AuditException.invalidInput([{ field: 'to', message: 'must not be before from' }]);
  }
  const { officer, idNumber, provider, verificationId, program, action, from, to } = query;
  return { officer, idNumber, provider, verificationId, program, action, from, to };
}

@ApiTags('audit log')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditEntriesController {
  constructor(
    private readonly searchLog: SearchAuditLogUseCase,
    private readonly exportLog: ExportAuditLogUseCase,
  ) {}

  @Get('entries')
  @ApiOperation({
    summary: 'Search the log, newest first',
    description: 'By officer, provider, verification, programme, action and time. A person (identity number → keyed hash) is searched with POST /entries/search: an identity number in this URL is refused. The search is recorded (audit_searched).',
  })
  @ApiOkResponse({ type: AuditEntryPageView })
  @ApiProblems(400, 401, 403)
  search(@CurrentAuditor() auditor: Auditor, @Query() query: AuditSearchQuery): Promise<AuditEntryPageView> {
    refuseIdentityNumberInUrl(query, 'entries/search');
    return this.runSearch(auditor, query);
  }

  @Post('entries/search')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'The same search with the filters in a JSON body (keeps an identity number out of URLs)' })
  @ApiOkResponse({ type: AuditEntryPageView })
  @ApiProblems(400, 401, 403)
  searchByBody(@CurrentAuditor() auditor: Auditor, @Body() body: AuditSearchQuery): Promise<AuditEntryPageView> {
    return this.runSearch(auditor, body);
  }

  @Get('entries.csv')
  @ApiOperation({
    summary: 'Export the matching entries as CSV (oldest first)',
    description: 'Same filters as the search, without paging. The export is recorded (audit_exported, with its row count) before any row is sent.',
  })
  @ApiProduces('text/csv')
  @Header('Content-Type', CSV_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ description: 'a header row, then one row per entry', schema: { type: 'string' } })
  @ApiProblems(400, 401, 403)
  exportCsv(@CurrentAuditor() auditor: Auditor, @Query() query: AuditFilterQuery): Promise<StreamableFile> {
    refuseIdentityNumberInUrl(query, 'entries/export');
    return this.runExport(auditor, query);
  }

  @Post('entries/export')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'The same CSV export with the filters in a JSON body (keeps an identity number out of URLs)' })
  @ApiProduces('text/csv')
  @Header('Content-Type', CSV_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ description: 'a header row, then one row per entry', schema: { type: 'string' } })
  @ApiProblems(400, 401, 403)
  exportCsvByBody(@CurrentAuditor() auditor: Auditor, @Body() body: AuditFilterQuery): Promise<StreamableFile> {
    return this.runExport(auditor, body);
  }

  private async runSearch(auditor: Auditor, query: AuditSearchQuery): Promise<AuditEntryPageView> {
    const page = await this.searchLog.execute(auditor, criteriaOf(query), query.page ?? 1, query.pageSize ?? DEFAULT_PAGE_SIZE);
    return pageView(page);
  }

  private async runExport(auditor: Auditor, query: AuditFilterQuery): Promise<StreamableFile> {
    const exported = await this.exportLog.execute(auditor, criteriaOf(query));
    async function* lines(): AsyncGenerator<string> {
      yield csvHeader();
      for await (const page of exported.pages) yield page.map(csvRow).join('');
    }
    return new StreamableFile(Readable.from(lines()), {
      type: CSV_TYPE,
      disposition: `attachment; filename="audit-log-${exported.exportSequence}.csv"`,
    });
  }
}
