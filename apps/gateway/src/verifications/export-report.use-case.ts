import { Injectable } from '@nestjs/common';
import { actorRef, caseOf, idNumbersOf } from '../audit/audit-event.message';
import { AuditTrail } from '../audit/audit-trail';
import type { Actor } from '../auth/actor';
import { GetReportUseCase } from './get-report.use-case';
import { type RenderedReport, ReportRenderer } from './report-renderer';

/**
 * A report in another representation than JSON (the printable PDF): rendered, then recorded as
 * report_exported (with the rendering's latency) before it is sent; refused (503) when it cannot be recorded.
 */
@Injectable()
export class ExportReportUseCase {
  constructor(
    private readonly reports: GetReportUseCase,
    private readonly renderer: ReportRenderer,
    private readonly audit: AuditTrail,
  ) {}

  async execute(actor: Actor, id: string, version: number | undefined, mediaType: string): Promise<RenderedReport> {
    const started = Date.now();
    const { verification, read } = await this.reports.load(actor, id, version);
    const rendered = await this.renderer.render({ verificationId: id, version: read.version, report: read.report }, mediaType);
    await this.audit.recordRead({
      action: 'report_exported',
      actor: actorRef(actor),
      case: caseOf(verification),
      idNumbers: idNumbersOf(verification),
      dataCategories: ['report', mediaType],
      status: 'succeeded',
      recordCount: 1,
      latencyMs: Date.now() - started,
    });
    return rendered;
  }
}
