import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { AUTHORIZATION_ROLES } from './authorization-access';
import type { AuthorizationListView, ListAuthorizationsQuery } from './authorization.dto';
import { toAuthorizationView } from './authorization.mapper';
import { AuthorizationRepository } from './authorization.repository';

export const MAX_AUTHORIZATIONS_LISTED = 100;

/** The authorization records of the caller's region (filed there, or cited by its cases), newest first, masked. */
@Injectable()
export class ListAuthorizationsUseCase {
  constructor(private readonly authorizations: AuthorizationRepository) {}

  async execute(actor: Actor, query: ListAuthorizationsQuery, now: Date = new Date()): Promise<AuthorizationListView> {
    if (!AUTHORIZATION_ROLES.includes(actor.role)) {
      throw new GatewayException(GatewayExceptionCode.ROLE_NOT_ALLOWED, `The role "${actor.role}" may not list authorizations.`);
    }
    const rows = await this.authorizations.list({ regionCode: actor.regionCode, documentRef: query.documentRef, limit: MAX_AUTHORIZATIONS_LISTED });
    return { items: rows.map((r) => toAuthorizationView(r.record, r.verificationIds, now)) };
  }
}
