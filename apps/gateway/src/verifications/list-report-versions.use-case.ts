import { Injectable } from '@nestjs/common';
import { actorRef, caseOf, idNumbersOf } from '../audit/audit-event.message';
import { AuditTrail } from '../audit/audit-trail';
import type { Actor } from '../auth/actor';
import { findVisible, requireReportReader } from './verification-visibility';
import { toReportVersionView } from './verification.mapper';
import { VerificationRepository } from './verification.repository';
import type { ReportVersionListView } from './verification.views';

@Injectable()
export class ListReportVersionsUseCase {
  constructor(
    private readonly verifications: VerificationRepository,
    private readonly audit: AuditTrail,
  ) {}

  /** The versions' changes show report figures: a report read, recorded (fail closed) when there is any version. */
  async execute(actor: Actor, id: string): Promise<ReportVersionListView> {
    requireReportReader(actor);
    const verification = await findVisible(this.verifications, actor, id);
    const rows = await this.verifications.listReportVersions(id);
    if (rows.length > 0) {
      await this.audit.recordRead({
        action: 'report_read',
        actor: actorRef(actor),
        case: caseOf(verification),
        idNumbers: idNumbersOf(verification),
        dataCategories: ['report_changes'],
        status: 'succeeded',
        recordCount: rows.length,
      });
    }
    return { items: rows.map(toReportVersionView) };
  }
}
