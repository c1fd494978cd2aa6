import { Injectable } from '@nestjs/common';
import type { HouseholdReport } from '@verihub/domain';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { ReportRenderer, type RenderedReport, type ReportToRender } from '../verifications/report-renderer';
import { PDF_MEDIA_TYPE, renderReportPdf, reportPdfFileName } from './report-pdf';
import type { ReportSignature } from './report-pdf.types';

/** The fields the printed layout cannot do without (every report the domain computes has them). */
const REQUIRED: ReadonlyArray<[path: string, check: (v: unknown) => boolean]> = [
  ['reportNumber', (v) => typeof v === 'string'],
  ['verificationId', (v) => typeof v === 'string'],
  ['version', (v) => Number.isInteger(v)],
  ['issuedAt', (v) => typeof v === 'string'],
  ['asOf', (v) => typeof v === 'string'],
  ['program', (v) => typeof v === 'string'],
  ['purpose', (v) => typeof v === 'string'],
  ['regionCode', (v) => typeof v === 'string'],
  ['conclusion', (v) => typeof v === 'string'],
  ['policy.standardMonthly', isObject],
  ['policy.discrepancyTolerance', isObject],
  ['lookback', isObject],
  ['household', isObject],
  ['members', Array.isArray],
  ['income.byCategory', isObject],
  ['income.monthlyPerCapita', Number.isInteger],
  ['assets.financialTotal', Number.isInteger],
  ['tests', isObject],
  ['discrepancies', Array.isArray],
  ['sources', Array.isArray],
];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(document: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), document);
}

/** The report as the layout reads it; a document of another shape (not a computed household report) is refused. */
export function asHouseholdReport(document: Record<string, unknown>): HouseholdReport {
  const missing = REQUIRED.filter(([path, check]) => !check(at(document, path))).map(([path]) => path);
  if (missing.length > 0) {
    throw new GatewayException(
      GatewayExceptionCode.REPRESENTATION_NOT_AVAILABLE,
      `This report version cannot be printed (it lacks ${missing.join(', ')}); it is available as application/json.`,
    );
  }
  return document as unknown as HouseholdReport;
}

/**
 * The reviewer's signature the report view carries: `review` ({signedBy, signedAt, comment}, added by the
 * review routes; null while unsigned), or a `signature` of the same shape.
 */
export function signatureOf(document: Record<string, unknown>): ReportSignature | null {
  const review = isObject(document.review) ? document.review : isObject(document.signature) ? document.signature : null;
  if (!review) return null;
  const reviewer = review.signedBy ?? review.reviewer;
  const signedAt = review.signedAt;
  if (typeof reviewer !== 'string' || typeof signedAt !== 'string') return null;
  return { reviewer, signedAt, ...(typeof review.comment === 'string' && review.comment !== '' ? { comment: review.comment } : {}) };
}

/** `Accept: application/pdf` on GET /api/v1/verifications/{id}/report: the printed report. */
@Injectable()
export class PdfReportRenderer extends ReportRenderer {
  readonly mediaTypes: readonly string[] = [PDF_MEDIA_TYPE];

  async render(input: ReportToRender, mediaType: string): Promise<RenderedReport> {
    if (mediaType !== PDF_MEDIA_TYPE) throw new Error(`PdfReportRenderer renders ${PDF_MEDIA_TYPE}, not ${mediaType}`);
    const report = asHouseholdReport(input.report);
    const body = await renderReportPdf(report, { signature: signatureOf(input.report) });
    return { contentType: PDF_MEDIA_TYPE, body, fileName: reportPdfFileName(report) };
  }
}
