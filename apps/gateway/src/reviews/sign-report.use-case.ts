import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { actorRef, caseOf, idNumbersOf } from '../audit/audit-event.message';
import { AuditTrail } from '../audit/audit-trail';
import type { Actor } from '../auth/actor';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { findVisible } from '../verifications/verification-visibility';
import { VerificationRepository } from '../verifications/verification.repository';
import type { SignReportDto } from './review.dto';
import type { ReportSignatureView } from './review.views';
import { ReportSignatureRepository } from './report-signature.repository';
import { SIGN_ROLES } from './review-access';

/**
 * A reviewer signs the newest report version of a verification of their region (审核). The verification
 * row is locked for the transaction, so a report version arriving meanwhile is either already there (and
 * the signature is refused as outdated) or comes after the signature. A version is signed once.
 */
@Injectable()
export class SignReportUseCase {
  private readonly logger = new Logger(SignReportUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly verifications: VerificationRepository,
    private readonly signatures: ReportSignatureRepository,
    private readonly audit: AuditTrail,
  ) {}

  async execute(actor: Actor, id: string, input: SignReportDto, now: Date = new Date()): Promise<ReportSignatureView> {
    if (!SIGN_ROLES.includes(actor.role)) {
      throw new GatewayException(GatewayExceptionCode.ROLE_NOT_ALLOWED, `The role "${actor.role}" may not sign reports; reviewers sign.`);
    }
    await findVisible(this.verifications, actor, id);
    const comment = input.comment ? input.comment : null;
    const signature = await this.dataSource.transaction(async (manager) => {
      const verification = await this.verifications.findForUpdate(manager, id);
      if (!verification) throw new Error(`verification ${id} disappeared`);
      const newest = verification.reportVersion;
      const row = input.version <= newest ? await this.verifications.findReportVersion(id, input.version, manager) : null;
      if (!row) {
        throw new GatewayException(GatewayExceptionCode.REPORT_VERSION_NOT_FOUND, `Verification ${id} has no report version ${input.version}.`, [
          { field: 'version', message: newest === 0 ? 'no report has been issued yet' : `no such version (newest: ${newest})` },
        ]);
      }
      if (input.version < newest) {
        throw new GatewayException(
          GatewayExceptionCode.REPORT_VERSION_SUPERSEDED,
          `Report version ${input.version} is outdated: version ${newest} is newer. Only the newest version can be signed; read it and sign version ${newest}.`,
          [{ field: 'version', message: `must be the newest version (${newest})` }],
        );
      }
      const signed = { verificationId: id, version: input.version, signedBy: actor.username, signedAt: now, comment };
      if (!(await this.signatures.insertOnce(manager, signed))) {
        const existing = await this.signatures.find(manager, id, input.version);
        throw new GatewayException(
          GatewayExceptionCode.REPORT_ALREADY_SIGNED,
          `Report version ${input.version} is already signed` +
            (existing ? ` by ${existing.signedBy} at ${existing.signedAt.toISOString()}` : '') +
            '; a signed version is never changed.',
          [{ field: 'version', message: 'is already signed' }],
        );
      }
      await this.audit.enqueue(manager, {
        action: 'report_signed',
        actor: actorRef(actor),
        case: caseOf(verification),
        idNumbers: idNumbersOf(verification),
        dataCategories: ['report'],
        status: 'succeeded',
        occurredAt: now,
      });
      return signed;
    });
    this.audit.nudge();
    // The comment is free text and is not logged.
    this.logger.log(`verification ${id}: report version ${signature.version} signed by ${actor.username}`);
    return {
      verificationId: id,
      version: signature.version,
      signedBy: signature.signedBy,
      signedAt: signature.signedAt.toISOString(),
      comment: signature.comment,
    };
  }
}
