import { Injectable } from '@nestjs/common';
import { actorRef, caseOf, idNumbersOf } from '../audit/audit-event.message';
import { AuditTrail } from '../audit/audit-trail';
import type { Actor } from '../auth/actor';
import type { VerificationEntity } from '../database/verification.entity';
import { ReportSignatureRepository } from '../reviews/report-signature.repository';
import { type ReadReport, readReport } from './report-reading';
import { findVisible, requireReportReader } from './verification-visibility';
import { VerificationRepository } from './verification.repository';

@Injectable()
export class GetReportUseCase {
  constructor(
    private readonly verifications: VerificationRepository,
    private readonly signatures: ReportSignatureRepository,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * The newest report version, or the one asked for, with its `review` (the reviewer's signature, or
   * null while unsigned) added to the document. The read is recorded (report_read) before it is
   * answered; when it cannot be recorded it is refused (503).
   */
  async execute(actor: Actor, id: string, version?: number): Promise<ReadReport> {
    const started = Date.now();
    const { verification, read } = await this.load(actor, id, version);
    await this.audit.recordRead({
      action: 'report_read',
      actor: actorRef(actor),
      case: caseOf(verification),
      idNumbers: idNumbersOf(verification),
      dataCategories: ['report'],
      status: 'succeeded',
      recordCount: 1,
      latencyMs: Date.now() - started,
    });
    return read;
  }

  /** The report without recording a read (the caller records what it does with it, e.g. an export). */
  async load(actor: Actor, id: string, version?: number): Promise<{ verification: VerificationEntity; read: ReadReport }> {
    requireReportReader(actor);
    const verification = await findVisible(this.verifications, actor, id);
    return { verification, read: await readReport(this.verifications, this.signatures, verification, version) };
  }
}
