import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { mayReadReportBody } from './verification-access';
import { findVisible } from './verification-visibility';
import { toDetailView } from './verification.mapper';
import { VerificationRepository } from './verification.repository';
import type { VerificationDetailView } from './verification.views';

@Injectable()
export class GetVerificationUseCase {
  constructor(private readonly verifications: VerificationRepository) {}

  async execute(actor: Actor, id: string): Promise<VerificationDetailView> {
    const verification = await findVisible(this.verifications, actor, id);
    let report: Record<string, unknown> | undefined;
    if (verification.reportVersion > 0 && mayReadReportBody(actor)) {
      report = (await this.verifications.findReportVersion(id, verification.reportVersion))?.report;
    }
    return toDetailView(verification, report);
  }
}
