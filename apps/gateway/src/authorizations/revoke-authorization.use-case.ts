import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { enqueueOutbox, OutboxRelay } from '@verihub/persistence';
import { actorRef } from '../audit/audit-event.message';
import { AuditTrail } from '../audit/audit-trail';
import type { Actor } from '../auth/actor';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { AUTHORIZATION_ROLES } from './authorization-access';
import type { AuthorizationView, RevokeAuthorizationDto } from './authorization.dto';
import { toAuthorizationView } from './authorization.mapper';
import { AuthorizationRepository } from './authorization.repository';
import { authorizationRevokedMessage } from './authorization-revoked.message';

export function authorizationNotFound(id: string): GatewayException {
  return new GatewayException(GatewayExceptionCode.AUTHORIZATION_NOT_FOUND, `No authorization ${id} that you may see.`);
}

/**
 * Revokes an authorization record (the member, or their guardian, withdrew consent): in one transaction
 * the record is marked revoked (once; a trigger refuses any other change), an AuthorizationRevoked notice
 * for the aggregator (stop queries in flight for the cases citing it) and an `authorization_revoked` audit
 * event go to the outbox. From then on no new verification may cite it and no re-check may run under it.
 * Officers and reviewers of a region that filed or cited it; another region's record is "not found".
 */
@Injectable()
export class RevokeAuthorizationUseCase {
  private readonly logger = new Logger(RevokeAuthorizationUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly authorizations: AuthorizationRepository,
    private readonly relay: OutboxRelay,
    private readonly audit: AuditTrail,
  ) {}

  async execute(actor: Actor, id: string, input: RevokeAuthorizationDto, now: Date = new Date()): Promise<AuthorizationView> {
    if (!AUTHORIZATION_ROLES.includes(actor.role)) {
      throw new GatewayException(GatewayExceptionCode.ROLE_NOT_ALLOWED, `The role "${actor.role}" may not revoke authorizations.`);
    }
    const view = await this.dataSource.transaction(async (manager) => {
      const record = await this.authorizations.findForUpdate(manager, id);
      if (!record || !(await this.authorizations.regionsOf(manager, record)).has(actor.regionCode)) throw authorizationNotFound(id);
      if (record.revokedAt) {
        throw new GatewayException(
          GatewayExceptionCode.AUTHORIZATION_ALREADY_REVOKED,
          `Authorization ${record.documentRef} was revoked at ${record.revokedAt.toISOString()} by ${record.revokedBy}.`,
        );
      }
      await this.authorizations.revoke(manager, id, now, actor.username, input.reason);
      const verificationIds = await this.authorizations.verificationIdsOf(manager, id);
      await enqueueOutbox(manager, [authorizationRevokedMessage({ authorizationId: id, memberIdHash: record.memberIdHash, revokedAt: now, verificationIds })]);
      // The reason is free text: kept on the record, not in the audit event.
      await this.audit.enqueue(manager, {
        action: 'authorization_revoked',
        actor: actorRef(actor),
        case: { regionCode: record.regionCode, authorizationRefs: [record.documentRef] },
        subjects: [{ idHash: record.memberIdHash, idMasked: record.memberIdMasked }],
        dataCategories: ['authorization'],
        status: 'succeeded',
        recordCount: verificationIds.length,
        occurredAt: now,
      });
      const revoked = { ...record, revokedAt: now, revokedBy: actor.username, revocationReason: input.reason };
      const regionIds = await this.authorizations.list({ regionCode: actor.regionCode, documentRef: record.documentRef, limit: 1 });
      return toAuthorizationView(revoked, regionIds[0]?.verificationIds ?? [], now);
    });
    this.relay.nudge();
    this.logger.log(`authorization ${id} (member ${view.member}) revoked by ${actor.username}; ${view.verificationIds.length} case(s) of the region cite it`);
    return view;
  }
}
