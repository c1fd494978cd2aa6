import { AuthorizationRevoked, Topics } from '@verihub/contracts';
import type { OutgoingMessage } from '@verihub/messaging';

/** AuthorizationRevoked for the aggregator (stop queries in flight), keyed by the authorization id. */
export function authorizationRevokedMessage(input: {
  authorizationId: string;
  memberIdHash: string;
  revokedAt: Date;
  verificationIds: string[];
}): OutgoingMessage {
  const message = AuthorizationRevoked.fromPartial({
    authorizationId: input.authorizationId,
    memberIdHash: input.memberIdHash,
    revokedAt: input.revokedAt.toISOString(),
    verificationIds: input.verificationIds,
  });
  return { topic: Topics.authorizationRevoked, key: input.authorizationId, value: AuthorizationRevoked.encode(message).finish() };
}
