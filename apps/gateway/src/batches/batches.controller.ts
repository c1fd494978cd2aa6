import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { ApiProblems } from '../openapi/api-problems.decorator';
import { FOLLOW_ROLES, SUBMIT_ROLES } from './batch-access';
import { BatchProgressQuery } from './batch-progress';
import { BatchResultsQuery, resultCsvHeader, resultCsvRow, type BatchResultLine } from './batch-results';
import type { BatchFormat } from './batch.entity';
import { BatchErrorsView, BatchPageView, BatchProgressView, BatchSubmittedView } from './batch.views';
import { CancelBatchUseCase } from './cancel-batch.use-case';
import { SubmitBatchUseCase } from './submit-batch.use-case';

const JSONL_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/json-lines'];
const CSV_TYPE = 'text/csv';

@ApiTags('batches')
@ApiBearerAuth()
@Controller('api/v1/batches')
export class BatchesController {
  constructor(
    private readonly submitBatch: SubmitBatchUseCase,
    private readonly progress: BatchProgressQuery,
    private readonly results: BatchResultsQuery,
    private readonly cancelBatch: CancelBatchUseCase,
  ) {}

  @Post()
  @Roles(...SUBMIT_ROLES)
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Hand over a caseload: one household per line',
    description:
      'JSON Lines (`application/x-ndjson`: one POST /api/v1/verifications body per line) or CSV (`text/csv`: one row per ' +
      'member, see docs/batches.md). Every line is checked like a single request; refused lines are reported with their ' +
      'number and reason and do not stop the rest. The accepted households are verified at the pace the hub absorbs.',
  })
  @ApiConsumes(...JSONL_TYPES.slice(0, 1), CSV_TYPE)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiQuery({ name: 'fileName', required: false, description: 'a label shown in progress views' })
  @ApiAcceptedResponse({ type: BatchSubmittedView })
  @ApiProblems(400, 401, 403, 413, 415)
  submit(@CurrentActor() actor: Actor, @Req() request: Request, @Query('fileName') fileName?: unknown): Promise<BatchSubmittedView> {
    const format = formatOf(request.headers['content-type']);
    const label = typeof fileName === 'string' && fileName.length > 0 ? fileName.slice(0, 200) : null;
    return this.submitBatch.execute(actor, request, format, label);
  }

  @Get()
  @Roles(...FOLLOW_ROLES)
  @ApiOperation({ summary: 'The newest 50 batches with their progress (officers: their region’s)' })
  @ApiOkResponse({ type: BatchPageView })
  @ApiProblems(401, 403)
  list(@CurrentActor() actor: Actor): Promise<BatchPageView> {
    return this.progress.list(actor);
  }

  @Get(':id')
  @Roles(...FOLLOW_ROLES)
  @ApiOperation({ summary: 'Progress: done / partial / failed / remaining, rate and estimated finish' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: BatchProgressView })
  @ApiProblems(400, 401, 403, 404)
  get(@CurrentActor() actor: Actor, @Param('id', UuidParamPipe) id: string): Promise<BatchProgressView> {
    return this.progress.get(actor, id);
  }

  @Get(':id/errors')
  @Roles(...FOLLOW_ROLES)
  @ApiOperation({ summary: 'Every refused line (at upload) and every household refused at submission, with the reasons' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: BatchErrorsView })
  @ApiProblems(400, 401, 403, 404)
  errors(@CurrentActor() actor: Actor, @Param('id', UuidParamPipe) id: string): Promise<BatchErrorsView> {
    return this.progress.errors(actor, id);
  }

  @Get(':id/results')
  @Roles(...FOLLOW_ROLES)
  @ApiOperation({
    summary: 'Results, one line per household in file order (CSV or JSON Lines by Accept or ?format=csv|jsonl)',
    description: 'line, verificationId, status, conclusion, the four tests, perCapitaIncome and financialTotal (fen), discrepancy kinds, report version, errors.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiQuery({ name: 'format', required: false, enum: ['csv', 'jsonl'] })
  @ApiProduces(CSV_TYPE, JSONL_TYPES[0])
  @ApiOkResponse({ description: 'the results file' })
  @ApiProblems(400, 401, 403, 404)
  async exportResults(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParamPipe) id: string,
    @Query('format') format: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const csv = format === 'csv' || (format === undefined && request.accepts([JSONL_TYPES[0], CSV_TYPE]) === CSV_TYPE);
    if (format !== undefined && format !== 'csv' && format !== 'jsonl') {
      throw GatewayException.invalidInput([{ field: 'format', message: 'must be one of csv, jsonl' }]);
    }
    const lines = await this.results.open(actor, id);
    response.status(200);
    response.setHeader('Content-Type', csv ? `${CSV_TYPE}; charset=utf-8` : `${JSONL_TYPES[0]}; charset=utf-8`);
    response.setHeader('Content-Disposition', `attachment; filename="batch-${id}-results.${csv ? 'csv' : 'jsonl'}"`);
    await pipeline(Readable.from(formatted(lines, csv)), response);
  }

  @Post(':id/cancel')
  @Roles(...FOLLOW_ROLES)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Cancel: households not yet submitted are not; those with the providers finish' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: BatchProgressView })
  @ApiProblems(400, 401, 403, 404, 409)
  cancel(@CurrentActor() actor: Actor, @Param('id', UuidParamPipe) id: string): Promise<BatchProgressView> {
    return this.cancelBatch.execute(actor, id);
  }
}

async function* formatted(lines: AsyncGenerator<BatchResultLine>, csv: boolean): AsyncGenerator<string> {
  if (csv) yield '\uFEFF' + resultCsvHeader(); // the BOM lets spreadsheet programs read UTF-8
  for await (const line of lines) yield csv ? resultCsvRow(line) : JSON.stringify(line) + '\n';
}

function formatOf(contentType: string | undefined): BatchFormat {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (JSONL_TYPES.includes(type)) return 'jsonl';
  if (type === CSV_TYPE) return 'csv';
  if (type === '') {
    throw GatewayException.invalidInput(
      [{ field: 'Content-Type', message: `must be ${JSONL_TYPES[0]} (JSON Lines) or ${CSV_TYPE}` }],
      'Say what the batch file is: JSON Lines or CSV.',
    );
  }
  throw new GatewayException(
    GatewayExceptionCode.UNSUPPORTED_BODY,
    `A batch is JSON Lines (${JSONL_TYPES[0]}) or CSV (${CSV_TYPE}), not ${type}.`,
    [{ field: 'Content-Type', message: `must be ${JSONL_TYPES[0]} or ${CSV_TYPE}` }],
  );
}
