import type { VerificationEntity } from '../database/verification.entity';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import type { ReportReview } from '../reviews/report-review';
import type { ReportSignatureRepository } from '../reviews/report-signature.repository';
import type { VerificationRepository } from './verification.repository';

export interface ReadReport {
  version: number;
  /** The report document with its `review` (the reviewer's signature, or null while unsigned). */
  report: Record<string, unknown> & { review: ReportReview | null };
  review: ReportReview | null;
}

/**
 * The newest report version of a verification the caller was allowed to see, or the one asked for, with
 * its `review` added to the document — so the JSON and every rendering of it show the signature.
 * Who may read is the caller's business (GetReportUseCase, OpenReportForAuditUseCase).
 */
export async function readReport(
  verifications: VerificationRepository,
  signatures: ReportSignatureRepository,
  verification: VerificationEntity,
  version?: number,
): Promise<ReadReport> {
  const id = verification.id;
  if (version === undefined) {
    if (verification.reportVersion === 0) {
      throw new GatewayException(
        GatewayExceptionCode.REPORT_NOT_ISSUED,
        `The report of verification ${id} is pending: no report has been issued yet (status ${verification.status}).`,
      );
    }
    version = verification.reportVersion;
  }
  const row = await verifications.findReportVersion(id, version);
  if (!row) {
    throw new GatewayException(GatewayExceptionCode.REPORT_VERSION_NOT_FOUND, `Verification ${id} has no report version ${version}.`, [
      { field: 'version', message: `no such version (newest: ${verification.reportVersion})` },
    ]);
  }
  const review = await signatures.findSignature(id, row.version);
  return { version: row.version, report: { ...row.report, review }, review };
}
