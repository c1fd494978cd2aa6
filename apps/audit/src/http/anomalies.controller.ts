import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditException } from '../errors/audit.exception';
import { ApiProblems } from '../openapi/openapi';
import { DetectAnomaliesUseCase } from '../use-cases/detect-anomalies.use-case';
import { AnomaliesQuery } from './audit-log.dto';
import { AnomalyReportView, anomalyReportView } from './audit-log.views';

const DAY_MS = 24 * 3600_000;
export const DEFAULT_ANOMALY_WINDOW_DAYS = 7;
/** The rules run over the window's entries in memory: a window is at most this long. */
export const MAX_ANOMALY_WINDOW_DAYS = 92;

@ApiTags('audit log')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AnomaliesController {
  constructor(private readonly detect: DetectAnomaliesUseCase) {}

  @Get('anomalies')
  @ApiOperation({
    summary: 'Anomaly flags of the entries in a window (default: the last 7 days; at most 92 days)',
    description:
      'Rules: a query with no open case, the same person looked up repeatedly by one officer, lookups outside the officer’s region, ' +
      'bursts, after-hours activity, a report exported many times. Each flag names its rule, window, actor, count against threshold ' +
      'and the entries behind it. Thresholds come from configuration (apps/audit/README.md).',
  })
  @ApiOkResponse({ type: AnomalyReportView })
  @ApiProblems(400, 401, 403)
  async anomalies(@Query() query: AnomaliesQuery): Promise<AnomalyReportView> {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_ANOMALY_WINDOW_DAYS * DAY_MS);
    if (from > to) throw AuditException.invalidInput([{ field: 'to', message: 'must not be before from' }]);
    if (to.getTime() - from.getTime() > MAX_ANOMALY_WINDOW_DAYS * DAY_MS) {
      throw AuditException.invalidInput([{ field: 'from', message: `the window may be at most ${MAX_ANOMALY_WINDOW_DAYS} days long` }]);
    }
    return anomalyReportView(await this.detect.execute(from, to));
  }
}
