/**
 * AuditEventRecorded messages as the gateway emits them (domain.md section 8): who, why, about whom (keyed
 * hashes and masked forms, never the identity numbers), what, when, the outcome and latency — never data
 * values, names or free text. Pure: the key comes from the caller (AuditTrail).
 */
import { randomUUID } from 'crypto';
import { AuditEventRecorded, Topics } from '@verihub/contracts';
import { auditSubjectOf, checkIdentityNumber, isMaskedIdentityNumber, isSha256Hex, type AuditAction, type AuditSubjectRef } from '@verihub/domain';
import type { OutgoingMessage } from '@verihub/messaging';
import type { Actor } from '../auth/actor';

export const GATEWAY_SOURCE = 'gateway';

/** The case an act belongs to. */
export interface AuditCaseRef {
  verificationId?: string;
  program?: string;
  purpose?: string;
  regionCode?: string;
  authorizationRefs?: string[];
}

/** Who acted, as the audit log records it (a sign-in with an unknown username has no account to name). */
export interface AuditActorRef {
  username: string;
  role: string;
  regionCode?: string;
}

export interface GatewayAuditAct {
  action: AuditAction;
  actor: AuditActorRef;
  case?: AuditCaseRef;
  /** Raw identity numbers of the people concerned: turned into keyed hashes and masked forms here, never sent. */
  idNumbers?: readonly string[];
  /** People already known only by keyed hash and masked form (authorization records), after those of idNumbers. */
  subjects?: readonly AuditSubjectRef[];
  dataCategories?: readonly string[];
  /** succeeded | refused | failed */
  status: 'succeeded' | 'refused' | 'failed';
  recordCount?: number;
  latencyMs?: number;
  /** Default now. */
  occurredAt?: Date;
  /** Default a fresh uuid (the audit log records each event id once). */
  eventId?: string;
}

/** The verification fields an audit case needs (VerificationEntity has them). */
export interface AuditedVerification {
  id: string;
  program: string;
  purpose: string;
  regionCode: string;
  authorizations: ReadonlyArray<{ documentRef: string }>;
  members: ReadonlyArray<{ idNumber: string }>;
}

export function actorRef(actor: Actor): AuditActorRef {
  return { username: actor.username, role: actor.role, regionCode: actor.regionCode };
}

export function caseOf(verification: AuditedVerification): AuditCaseRef {
  return {
    verificationId: verification.id,
    program: verification.program,
    purpose: verification.purpose,
    regionCode: verification.regionCode,
    authorizationRefs: [...new Set(verification.authorizations.map((a) => a.documentRef))],
  };
}

export function idNumbersOf(verification: AuditedVerification): string[] {
  return verification.members.map((m) => m.idNumber);
}

/** The event of an act; `identityHashKey` keys the subjects' hashes (the audit service searches with the same key). */
export function auditEventOf(act: GatewayAuditAct, identityHashKey: Buffer): AuditEventRecorded {
  const subjects = [...new Set(act.idNumbers ?? [])]
    // A number that is not a valid identity number is not masked reliably: it is left out rather than sent.
    .filter((id) => checkIdentityNumber(id).valid)
    .map((id) => auditSubjectOf(id, identityHashKey))
    .concat((act.subjects ?? []).filter((s) => isSha256Hex(s.idHash) && isMaskedIdentityNumber(s.idMasked)));
  return AuditEventRecorded.fromPartial({
    eventId: act.eventId ?? randomUUID(),
    occurredAt: (act.occurredAt ?? new Date()).toISOString(),
    sourceService: GATEWAY_SOURCE,
    actor: { username: act.actor.username, role: act.actor.role, regionCode: act.actor.regionCode ?? '', organisation: '' },
    action: act.action,
    case: act.case
      ? {
          verificationId: act.case.verificationId ?? '',
          program: act.case.program ?? '',
          purpose: act.case.purpose ?? '',
          regionCode: act.case.regionCode ?? '',
          authorizationRefs: act.case.authorizationRefs ?? [],
        }
      : undefined,
    subjects,
    provider: '',
    dataCategories: [...(act.dataCategories ?? [])],
    outcome: { status: act.status, ...(act.recordCount !== undefined ? { recordCount: act.recordCount } : {}) },
    ...(act.latencyMs !== undefined ? { latencyMs: Math.max(0, Math.round(act.latencyMs)) } : {}),
  });
}

/** On Topics.auditEventRecorded, keyed by the verification id, or the event id when there is no case. */
export function auditMessageOf(event: AuditEventRecorded): OutgoingMessage {
  return {
    topic: Topics.auditEventRecorded,
    key: event.case?.verificationId || event.eventId,
    value: AuditEventRecorded.encode(event).finish(),
  };
}
