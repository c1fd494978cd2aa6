import { Injectable } from '@nestjs/common';
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
  ) {}

  async execute(actor: Actor, id: string): Promise<VerificationDetailView> {
    const verification = await findVisible(this.verifications, actor, id);
    let report: Record<string, unknown> | undefined;
    if (verification.reportVersion > 0 && mayReadReportBody(actor)) {
      const row = await this.verifications.findReportVersion(id, verification.reportVersion);
      if (row) report = { ...row.report, review: await this.signatures.findSignature(id, row.version) };
    }
    return toDetailView(verification, await this.verifications.reviewStateOf(id), report);
  }
}
