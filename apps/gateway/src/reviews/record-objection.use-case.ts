import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { authorizationShortfalls, OBJECTION_WORKING_DAYS, objectionWindow, shanghaiDateOf, type FieldError } from '@verihub/domain';
import { enqueueOutbox, OutboxRelay } from '@verihub/persistence';
import { actorRef, caseOf, idNumbersOf } from '../audit/audit-event.message';
import { AuditTrail } from '../audit/audit-trail';
import type { Actor } from '../auth/actor';
import { AuthorizationRepository } from '../authorizations/authorization.repository';
import type { VerificationEntity } from '../database/verification.entity';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { findVisible } from '../verifications/verification-visibility';
import { VerificationRepository } from '../verifications/verification.repository';
import type { ObjectionEntity } from './objection.entity';
import { toObjectionView } from './objection.mapper';
import { ObjectionRepository } from './objection.repository';
import { recheckRequestedMessage } from './recheck-requested.message';
import { ReportSignatureRepository } from './report-signature.repository';
import type { RecordObjectionDto } from './review.dto';
import type { ObjectionView } from './review.views';
import { OBJECTION_RECORD_ROLES } from './review-access';
import { objectionRecheckReason } from './review-state';

/** How far in the future a given time may be (clocks of the office's machines differ a little). */
export const CLOCK_TOLERANCE_MS = 60_000;

/**
 * Records the household's objection (异议) to the signed newest report version and reopens the case: in
 * one transaction the objection is stored, a re-check VerificationRequested is put in the outbox (the
 * aggregator asks every provider again and issues version N+1, whose change reason names the objection)
 * and the verification is pending again. Refused — with nothing stored — when the newest version is not
 * signed, when an objection is already being re-checked, after the objection period (5 working days
 * from the household's receipt of the report, domain.md section 2), or — since a re-check queries every
 * provider again (无委托、不核对) — when a member's authorization has been revoked or has expired (422
 * naming each member; a `verification_refused` audit event records the attempt).
 */
@Injectable()
export class RecordObjectionUseCase {
  private readonly logger = new Logger(RecordObjectionUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly verifications: VerificationRepository,
    private readonly signatures: ReportSignatureRepository,
    private readonly objections: ObjectionRepository,
    private readonly relay: OutboxRelay,
    private readonly audit: AuditTrail,
    private readonly authorizations: AuthorizationRepository,
  ) {}

  async execute(actor: Actor, id: string, input: RecordObjectionDto, now: Date = new Date()): Promise<ObjectionView> {
    if (!OBJECTION_RECORD_ROLES.includes(actor.role)) {
      throw new GatewayException(GatewayExceptionCode.ROLE_NOT_ALLOWED, `The role "${actor.role}" may not record objections.`);
    }
    await findVisible(this.verifications, actor, id);
    const receivedAt = input.receivedAt ? new Date(input.receivedAt) : now;

    let refused: { verification: VerificationEntity; idNumbers: string[]; reasons: string[] } | undefined;
    const objection = await this.dataSource.transaction(async (manager) => {
      const verification = await this.verifications.findForUpdate(manager, id);
      if (!verification) throw new Error(`verification ${id} disappeared`);
      const version = verification.reportVersion;
      if (version === 0) {
        throw new GatewayException(
          GatewayExceptionCode.REPORT_NOT_SIGNED,
          `Verification ${id} has no report yet: an objection can only be raised against a signed report.`,
        );
      }
      const open = await this.objections.findOpen(manager, id);
      if (open) {
        throw new GatewayException(
          GatewayExceptionCode.OBJECTION_ALREADY_OPEN,
          `Objection ${open.objection.id} to report version ${open.objection.version} is being re-checked; ` +
            'a further objection concerns the report version that re-check produces, once it is signed.',
        );
      }
      const signature = await this.signatures.find(manager, id, version);
      if (!signature) {
        throw new GatewayException(
          GatewayExceptionCode.REPORT_NOT_SIGNED,
          `Report version ${version} is not signed: an objection can only be raised against a signed report (a reviewer signs it first).`,
        );
      }

      // The re-check asks every provider again: each member must still be covered by their authorization.
      const cited = await this.authorizations.citedBy(manager, id);
      const revoked = new Map(cited.filter((r) => r.revokedAt).map((r) => [r.documentRef, r.revokedAt!.toISOString()]));
      const shortfalls = authorizationShortfalls(verification, now, { revoked });
      if (shortfalls.length > 0) {
        refused = { verification, idNumbers: shortfalls.map((s) => s.idNumber), reasons: [...new Set(shortfalls.map((s) => s.reason))] };
        throw new GatewayException(
          GatewayExceptionCode.AUTHORIZATION_NOT_VALID,
          `A re-check queries every provider again, and ${shortfalls.length === 1 ? 'a member is' : `${shortfalls.length} members are`} ` +
            'no longer covered by a valid authorization (无委托、不核对): a new authorization is needed, with a new verification.',
          shortfalls.map((s) => ({ field: `members[${s.memberIndex}]`, message: s.message })),
        );
      }

      const reportReceivedAt = input.reportReceivedAt ? new Date(input.reportReceivedAt) : signature.signedAt;
      const problems = checkDates(receivedAt, reportReceivedAt, signature.signedAt, input.reportReceivedAt !== undefined, now);
      if (problems.length > 0) {
        throw new GatewayException(GatewayExceptionCode.OBJECTION_DATES_INCONSISTENT, 'The objection’s dates do not fit the report’s.', problems);
      }
      const window = objectionWindow(reportReceivedAt);
      if (receivedAt.getTime() >= window.closesAt.getTime()) {
        throw new GatewayException(
          GatewayExceptionCode.OBJECTION_PERIOD_OVER,
          `An objection is accepted within ${OBJECTION_WORKING_DAYS} working days of the household’s receipt of the report ` +
            `(domain.md §2; working days are Monday to Friday, Asia/Shanghai; public holidays are not taken into account). ` +
            `The report was received on ${window.receivedOn}, so the period ended with ${window.lastDay}; ` +
            `this objection was received on ${shanghaiDateOf(receivedAt)}.`,
          [{ field: 'receivedAt', message: `is after the objection period (last day ${window.lastDay})` }],
        );
      }

      const entity: ObjectionEntity = {
        id: randomUUID(),
        verificationId: id,
        version,
        reason: input.reason,
        raisedBy: input.raisedBy ? input.raisedBy : null,
        receivedAt,
        reportReceivedAt,
        recordedBy: actor.username,
        recordedAt: now,
      };
      await this.objections.insert(manager, entity);
      await enqueueOutbox(manager, [
        recheckRequestedMessage({
          verification,
          recheckReason: objectionRecheckReason(entity.id),
          requestedAt: now,
          requestedBy: actor.username,
        }),
      ]);
      await this.verifications.markRecheckPending(manager, id, now);
      // The reason and who objected are free text: not in the audit event (the objection row keeps them).
      await this.audit.enqueue(manager, {
        action: 'objection_recorded',
        actor: actorRef(actor),
        case: caseOf(verification),
        idNumbers: idNumbersOf(verification),
        dataCategories: ['objection'],
        status: 'succeeded',
        occurredAt: now,
      });
      return entity;
    }).catch(async (err: unknown) => {
      if (refused) {
        await this.audit.recordBestEffort({
          action: 'verification_refused',
          actor: actorRef(actor),
          case: caseOf(refused.verification),
          idNumbers: refused.idNumbers,
          dataCategories: refused.reasons.map((r) => `authorization_${r}`),
          status: 'refused',
          recordCount: refused.idNumbers.length,
          occurredAt: now,
        });
      }
      throw err;
    });
    this.relay.nudge();
    // Reason and who objected are personal free text: not logged.
    this.logger.log(`verification ${id}: objection ${objection.id} to report version ${objection.version} recorded by ${actor.username}; re-check requested`);
    return toObjectionView({ objection, answeredByVersion: null });
  }
}

function checkDates(receivedAt: Date, reportReceivedAt: Date, signedAt: Date, receiptGiven: boolean, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  const latest = now.getTime() + CLOCK_TOLERANCE_MS;
  if (receivedAt.getTime() > latest) errors.push({ field: 'receivedAt', message: 'must not be in the future' });
  if (receiptGiven) {
    if (reportReceivedAt.getTime() > latest) errors.push({ field: 'reportReceivedAt', message: 'must not be in the future' });
    else if (reportReceivedAt.getTime() < signedAt.getTime()) {
      errors.push({ field: 'reportReceivedAt', message: `must not be before the report was signed (${signedAt.toISOString()})` });
    }
  }
  if (errors.length === 0 && receivedAt.getTime() < reportReceivedAt.getTime()) {
    errors.push({
      field: 'receivedAt',
      message: `must not be before the household received the report (${reportReceivedAt.toISOString()})`,
    });
  }
  return errors;
}
