import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { DataSource, In } from 'typeorm';
import { actorRef } from '../audit/audit-event.message';
import { AuditTrail } from '../audit/audit-trail';
import type { Actor } from '../auth/actor';
import { ReportVersionEntity } from '../database/report-version.entity';
import { VerificationEntity } from '../database/verification.entity';
import { BatchEntity, BatchItemEntity } from './batch.entity';
import { visibleBatch } from './batch-access';

/** One household of a batch as the results export shows it. */
export interface BatchResultLine {
  line: number;
  verificationId: string;
  /** queued | pending | complete | partial | failed | cancelled */
  status: string;
  conclusion: string | null;
  tests: Record<string, string> | null;
  /** Monthly, integer fen. */
  perCapitaIncome: number | null;
  /** Integer fen. */
  financialTotal: number | null;
  discrepancyKinds: string[];
  reportVersion: number | null;
  /** Why a household was not submitted (failed): field paths and rules. */
  errors: Array<{ field: string; message: string }>;
}

export const RESULT_COLUMNS = [
  'line',
  'verificationId',
  'status',
  'conclusion',
  'incomeTest',
  'financialAssetsTest',
  'vehiclesTest',
  'realEstateTest',
  'perCapitaIncome',
  'financialTotal',
  'discrepancyKinds',
  'reportVersion',
  'errors',
] as const;

const PAGE = 500;

/**
 * A batch's results, one line per accepted household in file order, read a page at a time (memory stays
 * flat for a million households). Opening them is an audited act: the export is recorded before any line
 * goes out (fail closed), with the number of households it covers.
 */
@Injectable()
export class BatchResultsQuery {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  async open(actor: Actor, id: string): Promise<AsyncGenerator<BatchResultLine>> {
    const batch = visibleBatch(actor, await this.dataSource.getRepository(BatchEntity).findOneBy({ id }), id);
    await this.audit.recordRead({
      action: 'batch_results_exported',
      actor: actorRef(actor),
      dataCategories: ['report', `batch:${id}`],
      status: 'succeeded',
      recordCount: batch.accepted,
    });
    return this.lines(id);
  }

  private async *lines(batchId: string): AsyncGenerator<BatchResultLine> {
    let after = 0;
    for (;;) {
      const items = await this.dataSource
        .getRepository(BatchItemEntity)
        .createQueryBuilder('i')
        .select(['i.line', 'i.verificationId', 'i.state', 'i.refusal'])
        .where('i.batch_id = :batchId AND i.line > :after', { batchId, after })
        .orderBy('i.line', 'ASC')
        .limit(PAGE)
        .getMany();
      if (items.length === 0) return;
      after = items[items.length - 1].line;
      const ids = items.filter((i) => i.state === 'submitted').map((i) => i.verificationId);
      const verifications = ids.length
        ? await this.dataSource.getRepository(VerificationEntity).find({ select: { id: true, status: true, reportVersion: true }, where: { id: In(ids) } })
        : [];
      const byId = new Map(verifications.map((v) => [v.id, v]));
      const reports = await this.newestReports(verifications.filter((v) => v.reportVersion > 0).map((v) => v.id));
      for (const item of items) yield resultOf(item, byId.get(item.verificationId), reports.get(item.verificationId));
    }
  }

  private async newestReports(ids: string[]): Promise<Map<string, ReportVersionEntity>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource
      .getRepository(ReportVersionEntity)
      .createQueryBuilder('r')
      .innerJoin(VerificationEntity, 'v', 'v.id = r.verification_id AND v.report_version = r.version')
      .where('v.id IN (:...ids)', { ids })
      .getMany();
    return new Map(rows.map((r) => [r.verificationId, r]));
  }
}

function resultOf(item: BatchItemEntity, verification: VerificationEntity | undefined, report: ReportVersionEntity | undefined): BatchResultLine {
  const doc = (report?.report ?? {}) as {
    conclusion?: string;
    tests?: Record<string, string>;
    income?: { monthlyPerCapita?: number };
    assets?: { financialTotal?: number };
    discrepancies?: Array<{ kind: string }>;
  };
  const status =
    item.state === 'refused' ? 'failed' : item.state === 'submitted' ? (verification?.status ?? 'pending') : item.state;
  return {
    line: item.line,
    verificationId: item.verificationId,
    status,
    conclusion: doc.conclusion ?? null,
    tests: doc.tests ?? null,
    perCapitaIncome: doc.income?.monthlyPerCapita ?? null,
    financialTotal: doc.assets?.financialTotal ?? null,
    discrepancyKinds: [...new Set((doc.discrepancies ?? []).map((d) => d.kind))],
    reportVersion: report?.version ?? null,
    errors: item.refusal ?? [],
  };
}

/** One CSV row (RFC 4180; a text starting with = + - @ is prefixed with ' so a spreadsheet shows, not evaluates, it). */
export function resultCsvRow(r: BatchResultLine): string {
  const cells = [
    r.line,
    r.verificationId,
    r.status,
    r.conclusion,
    r.tests?.income,
    r.tests?.financialAssets,
    r.tests?.vehicles,
    r.tests?.realEstate,
    r.perCapitaIncome,
    r.financialTotal,
    r.discrepancyKinds.join(';'),
    r.reportVersion,
    r.errors.map((e) => `${e.field} ${e.message}`.trim()).join('; '),
  ].map((cell) => (typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell));
  return stringify([cells], { record_delimiter: 'windows' });
}

export function resultCsvHeader(): string {
  return stringify([[...RESULT_COLUMNS]], { record_delimiter: 'windows' });
}
