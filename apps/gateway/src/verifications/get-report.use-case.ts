import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import type { ReportReview } from '../reviews/report-review';
import { ReportSignatureRepository } from '../reviews/report-signature.repository';
import { findVisible, requireReportReader } from './verification-visibility';
import { VerificationRepository } from './verification.repository';

@Injectable()
export class GetReportUseCase {
  constructor(
    private readonly verifications: VerificationRepository,
    private readonly signatures: ReportSignatureRepository,
  ) {}

  /**
   * The newest report version, or the one asked for, with its `review` (the reviewer's signature, or
   * null while unsigned) added to the document — so the JSON and every rendering of it show the signature.
   */
  async execute(
    actor: Actor,
    id: string,
    version?: number,
  ): Promise<{ version: number; report: Record<string, unknown> & { review: ReportReview | null }; review: ReportReview | null }> {
    requireReportReader(actor);
    const verification = await findVisible(this.verifications, actor, id);
    if (version === undefined) {
      if (verification.reportVersion === 0) {
        throw new GatewayException(
          GatewayExceptionCode.REPORT_NOT_ISSUED,
          `The report of verification ${id} is pending: no report has been issued yet (status ${verification.status}).`,
        );
      }
      version = verification.reportVersion;
    }
    const row = await this.verifications.findReportVersion(id, version);
    if (!row) {
      throw new GatewayException(GatewayExceptionCode.REPORT_VERSION_NOT_FOUND, `Verification ${id} has no report version ${version}.`, [
        { field: 'version', message: `no such version (newest: ${verification.reportVersion})` },
      ]);
    }
    const review = await this.signatures.findSignature(id, row.version);
    return { version: row.version, report: { ...row.report, review }, review };
  }
}
