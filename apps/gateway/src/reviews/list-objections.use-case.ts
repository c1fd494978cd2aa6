import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { findVisible } from '../verifications/verification-visibility';
import { VerificationRepository } from '../verifications/verification.repository';
import { toObjectionView } from './objection.mapper';
import { ObjectionRepository } from './objection.repository';
import type { ObjectionListView } from './review.views';
import { OBJECTION_READ_ROLES } from './review-access';

@Injectable()
export class ListObjectionsUseCase {
  constructor(
    private readonly verifications: VerificationRepository,
    private readonly objections: ObjectionRepository,
  ) {}

  /** Oldest first, each with the version it concerns and the version that answered it once issued. */
  async execute(actor: Actor, id: string): Promise<ObjectionListView> {
    if (!OBJECTION_READ_ROLES.includes(actor.role)) {
      throw new GatewayException(GatewayExceptionCode.ROLE_NOT_ALLOWED, `The role "${actor.role}" may not read objections.`);
    }
    await findVisible(this.verifications, actor, id);
    return { items: (await this.objections.listFor(id)).map(toObjectionView) };
  }
}
