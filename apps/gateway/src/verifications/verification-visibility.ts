import type { Actor } from '../auth/actor';
import type { VerificationEntity } from '../database/verification.entity';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { maySee, mayReadReportBody } from './verification-access';
import type { VerificationRepository } from './verification.repository';

function notFound(id: string): GatewayException {
  return new GatewayException(GatewayExceptionCode.VERIFICATION_NOT_FOUND, `No verification ${id} that you may see.`);
}

/** Loads a verification the caller may see; another region's is "not found", so its existence is not revealed. */
export async function findVisible(repository: VerificationRepository, actor: Actor, id: string): Promise<VerificationEntity> {
  const verification = await repository.findById(id);
  if (!verification || !maySee(actor, verification.regionCode)) throw notFound(id);
  return verification;
}

export function requireReportReader(actor: Actor): void {
  if (!mayReadReportBody(actor)) {
    throw new GatewayException(GatewayExceptionCode.ROLE_NOT_ALLOWED, `The role "${actor.role}" may not read report contents.`);
  }
}
