import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { ReportSignatureRepository } from '../reviews/report-signature.repository';
import { type ReadReport, readReport } from '../verifications/report-reading';
import { findVisible } from '../verifications/verification-visibility';
import { VerificationRepository } from '../verifications/verification.repository';
import { actorRef, caseOf, idNumbersOf } from './audit-event.message';
import { AuditOpeningEntity } from './audit-opening.entity';
import type { OpenReportForAuditDto } from './audit-opening.dto';
import { AuditTrail } from './audit-trail';

export const AUDIT_OPENING_ROLES = ['auditor'] as const;

export interface AuditOpening {
  id: string;
  read: ReadReport;
}

/**
 * An auditor opens a report body for an audit (domain.md section 2: "reads no more report content than an
 * audit needs"). The opening — who, which version, when and the reason given — and its audit_report_opened
 * event commit together before the report is returned; nothing is returned when they cannot be written.
 * Auditors see every region. The reason stays in gateway.audit_openings (the audit contract has no free text);
 * the opening's id is the audit event's id.
 */
@Injectable()
export class OpenReportForAuditUseCase {
  private readonly logger = new Logger(OpenReportForAuditUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly verifications: VerificationRepository,
    private readonly signatures: ReportSignatureRepository,
    private readonly audit: AuditTrail,
  ) {}

  async execute(actor: Actor, input: OpenReportForAuditDto, now: Date = new Date()): Promise<AuditOpening> {
    if (!(AUDIT_OPENING_ROLES as readonly string[]).includes(actor.role)) {
      throw new GatewayException(GatewayExceptionCode.ROLE_NOT_ALLOWED, `The role "${actor.role}" may not open reports for an audit.`);
    }
    const verification = await findVisible(this.verifications, actor, input.verificationId);
    const read = await readReport(this.verifications, this.signatures, verification, input.version);
    const id = randomUUID();
    try {
      await this.dataSource.transaction(async (manager) => {
        await manager.insert(AuditOpeningEntity, {
          id,
          verificationId: verification.id,
          version: read.version,
          reason: input.reason,
          openedBy: actor.username,
          openedAt: now,
        });
        await this.audit.enqueue(manager, {
          eventId: id,
          action: 'audit_report_opened',
          actor: actorRef(actor),
          case: caseOf(verification),
          idNumbers: idNumbersOf(verification),
          dataCategories: ['report', `version:${read.version}`],
          status: 'succeeded',
          recordCount: 1,
          occurredAt: now,
        });
      });
    } catch (err) {
      this.logger.error(`audit opening of verification ${verification.id} by ${actor.username} could not be recorded: ${(err as Error).message}`);
      throw new GatewayException(GatewayExceptionCode.AUDIT_UNAVAILABLE, 'The opening could not be recorded, so the report is not shown; try again shortly.');
    }
    this.audit.nudge();
    // The reason is free text: not logged.
    this.logger.log(`verification ${verification.id}: report version ${read.version} opened for an audit by ${actor.username} (opening ${id})`);
    return { id, read };
  }
}
