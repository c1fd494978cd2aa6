import type { AuthorizationEntity } from './authorization.entity';
import type { AuthorizationView } from './authorization.dto';

export function toAuthorizationView(record: AuthorizationEntity, verificationIds: string[], now: Date): AuthorizationView {
  return {
    id: record.id,
    documentRef: record.documentRef,
    member: record.memberIdMasked,
    signerRelation: record.signerRelation,
    signedAt: record.signedAt.toISOString(),
    expiresAt: record.expiresAt.toISOString(),
    scope: record.scope,
    state: record.revokedAt ? 'revoked' : record.expiresAt.getTime() <= now.getTime() ? 'expired' : 'valid',
    regionCode: record.regionCode,
    createdBy: record.createdBy,
    createdAt: record.createdAt.toISOString(),
    revokedAt: record.revokedAt?.toISOString() ?? null,
    revokedBy: record.revokedBy,
    revocationReason: record.revocationReason,
    verificationIds,
  };
}
