import { Topics, VerificationRequested } from '@verihub/contracts';
import type { OutgoingMessage } from '@verihub/messaging';
import type { VerificationEntity } from '../database/verification.entity';

export interface RecheckRequest {
  verification: VerificationEntity;
  /** Non-empty: it is what makes the message a re-check (e.g. "objection <id>"). */
  recheckReason: string;
  /** Identifies the re-check round together with the verification id: a redelivery has the same instant. */
  requestedAt: Date;
  requestedBy: string;
}

/**
 * VerificationRequested for a re-check round of an existing verification: the aggregator asks every
 * provider again and issues the next report version, whose change_reason names the re-check reason.
 * The household, authorizations, declaration and policy are left out on purpose: the aggregator keeps
 * those it already holds (a re-check of the same case, as accepted), and no personal data travels again.
 * `asOf` stays the verification's: the re-check verifies the same period, with the departments' current data.
 */
export function recheckRequestedMessage(request: RecheckRequest): OutgoingMessage {
  if (!request.recheckReason.trim()) throw new Error('a re-check needs a reason');
  const { verification } = request;
  const message = VerificationRequested.fromPartial({
    verificationId: verification.id,
    program: verification.program,
    purpose: verification.purpose,
    regionCode: verification.regionCode,
    asOf: verification.asOf,
    members: [],
    authorizations: [],
    requestedAt: request.requestedAt.toISOString(),
    requestedBy: request.requestedBy,
    interactive: true,
    recheckReason: request.recheckReason,
  });
  return { topic: Topics.verificationRequested, key: verification.id, value: VerificationRequested.encode(message).finish() };
}
