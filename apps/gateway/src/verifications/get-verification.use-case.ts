import { Injectable } from '@nestjs/common';
import { actorRef, caseOf, idNumbersOf } from '../audit/audit-event.message';
import { AuditTrail } from '../audit/audit-trail';
import type { Actor } from '../auth/actor';
import { ReportSignatureRepository } from '../reviews/report-signature.repository';
import { mayReadReportBody } from './verification-access';
import { findVisible } from './verification-visibility';
import { toDetailView } from './verification.mapper';
import { VerificationRepository } from './verification.repository';
import type { VerificationDetailView } from './verification.views';

@Injectable()
export class GetVerificationUseCase {
  constructor(
    private readonly verifications: VerificationRepository,
    private readonly signatures: ReportSignatureRepository,
    private readonly audit: AuditTrail,
  ) {}

  /** With the newest report body for those who may read it: that is a report read, recorded (fail closed). */
  async execute(actor: Actor, id: string): Promise<VerificationDetailView> {
    const verification = await findVisible(this.verifications, actor, id);
    let report: Record<string, unknown> | undefined;
    if (verification.reportVersion > 0 && mayReadReportBody(actor)) {
      const row = await this.verifications.findReportVersion(id, verification.reportVersion);
      if (row) report = { ...row.report, review: await this.signatures.findSignature(id, row.version) };
    }
    if (report) {
      await this.audit.recordRead({
        action: 'report_read',
        actor: actorRef(actor),
        case: caseOf(verification),
        idNumbers: idNumbersOf(verification),
        dataCategories: ['report'],
        status: 'succeeded',
        recordCount: 1,
      });
    }
    return toDetailView(verification, await this.verifications.reviewStateOf(id), report);
  }
}
