import { Topics, VerificationRequested, onLane } from '@verihub/contracts';
import type { VerificationRequest } from '@verihub/domain';
import type { OutgoingMessage } from '@verihub/messaging';
import type { AppliedPolicy } from '../policies/policy-rules';
import { toPolicyMessage } from '../policies/policy.mapper';

export interface AcceptedVerification {
  id: string;
  request: VerificationRequest;
  asOf: string;
  policy: AppliedPolicy;
  requestedAt: Date;
  requestedBy: string;
  /** false for batch checks (the batch lane); interactive checks are never queued behind a batch. */
  interactive?: boolean;
}

/** VerificationRequested for the aggregator: keyed by verification id, the applicable policy embedded. */
export function verificationRequestedMessage(accepted: AcceptedVerification): OutgoingMessage {
  const { request } = accepted;
  const message = VerificationRequested.fromPartial({
    verificationId: accepted.id,
    program: request.program,
    purpose: request.purpose,
    regionCode: request.regionCode,
    asOf: accepted.asOf,
    members: request.members.map((m) => ({ idNumber: m.idNumber, name: m.name, relation: m.relation })),
    declared: request.declared
      ? {
          monthlyIncome: request.declared.monthlyIncome ? { ...request.declared.monthlyIncome } : undefined,
          financialAssets: request.declared.financialAssets,
          vehicles: request.declared.vehicles,
          properties: request.declared.properties,
        }
      : undefined,
    authorizations: request.authorizations.map((a) => ({
      idNumber: a.idNumber,
      documentRef: a.documentRef,
      signedBy: a.signedBy,
      signedAt: a.signedAt,
      expiresAt: a.expiresAt,
    })),
    policy: toPolicyMessage(accepted.policy),
    requestedAt: accepted.requestedAt.toISOString(),
    requestedBy: accepted.requestedBy,
    interactive: accepted.interactive ?? true,
    recheckReason: '',
  });
  return { topic: onLane(Topics.verificationRequested, accepted.interactive ?? true), key: accepted.id, value: VerificationRequested.encode(message).finish() };
}
