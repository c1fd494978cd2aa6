/**
 * The adapter's own audit trail (domain.md section 8): every request it handles leaves an AuditEventRecorded
 * on Topics.auditEventRecorded — answered (record count) or refused (the reason's category: a missing,
 * forged or expired query token, a missing authorization, an invalid or undecodable request). The actor is
 * the department (`provider:tax`, role `system`, organisation the provider id); the people concerned are
 * named by keyed hash and masked form only. Never a value, a name, a raw identity number or free text from
 * the request: program, purpose, region and references are sent only when they have the shape the audit log
 * expects, so an intruder's message cannot get its refusal dead-lettered instead of recorded.
 */
import { createHash, randomUUID } from 'node:crypto';
import { AuditEventRecorded, providerSlug, type QueryRequested, Topics } from '@verihub/contracts';
import {
  auditSubjectOf,
  checkIdentityNumber,
  containsIdentityNumber,
  isBankProvider,
  PROGRAMS,
  PURPOSES,
  providerRegistry,
  type QueryTokenRefusal,
} from '@verihub/domain';
import { MalformedMessageError, type MessagePublisher, type OutgoingMessage } from '@verihub/messaging';

/** Why a request was refused, as the audit log files it (a data category of the event, like the gateway's). */
export type RefusalCategory =
  | 'undecodable_request'
  | 'malformed_request'
  | 'invalid_request'
  | 'authorization_missing'
  | 'authorization_invalid'
  | 'query_token_missing'
  | 'query_token_forged'
  | 'query_token_expired'
  | 'query_token_mismatch'
  | 'refused_by_verifier';

/** The category of a query-token refusal: forged (no valid signature of the aggregator's key), expired, or naming something else. */
export function queryTokenRefusalCategory(token: string, reason: QueryTokenRefusal): RefusalCategory {
  if (token.trim() === '') return 'query_token_missing';
  switch (reason) {
    case 'bad format':
    case 'wrong algorithm':
    case 'unknown key':
    case 'bad signature':
    case 'wrong issuer':
      return 'query_token_forged';
    case 'expired':
    case 'not yet valid':
      return 'query_token_expired';
    default:
      return 'query_token_mismatch';
  }
}

export type AdapterAuditOutcome =
  | { status: 'answered' | 'no_record'; recordCount: number }
  | { status: 'refused'; category: RefusalCategory }
  | { status: 'failed'; category: 'source_unavailable' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REGION_CODE = /^\d{6}$/;
const REFERENCE = /^[\w.:/-]{1,64}$/u;

/** The department's name in the audit log. */
export function adapterActorName(provider: string): string {
  return `provider:${provider}`;
}

/** The emitting service (`adapter-tax`, `adapter-bank-icbc`). */
export function adapterSourceService(provider: string): string {
  return `adapter-${providerSlug(provider)}`;
}

/** What the provider answers about (the provider registry's categories; any bank a bank's). */
export function providerCategories(provider: string): string[] {
  const banks = isBankProvider(provider) ? [provider.slice('bank:'.length)] : [];
  return [...(providerRegistry(banks).find((p) => p.id === provider)?.categories ?? [])];
}

/**
 * A uuid derived from the request and its outcome: a redelivered request re-publishes the same event id,
 * which the audit log records once.
 */
function eventIdOf(provider: string, requestId: string, status: string): string {
  const hex = createHash('sha256').update(`adapter-audit\0${provider}\0${requestId}\0${status}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const oneOf = (values: readonly string[], value: string): string => (values.includes(value) ? value : '');

/** The event of one handled request; `request` is absent when the message did not decode. */
export function adapterAuditEvent(
  provider: string,
  request: QueryRequested | undefined,
  outcome: AdapterAuditOutcome,
  identityHashKey: string | Buffer,
  occurredAt: Date,
  eventId?: string,
): AuditEventRecorded {
  const idNumbers = [...new Set((request?.members ?? []).map((m) => m.idNumber))];
  const subjects = idNumbers.filter((id) => checkIdentityNumber(id).valid).map((id) => auditSubjectOf(id, identityHashKey));
  const categories = outcome.status === 'refused' || outcome.status === 'failed' ? [outcome.category] : providerCategories(provider);
  const verificationId = request && UUID.test(request.verificationId) ? request.verificationId.toLowerCase() : '';
  return AuditEventRecorded.fromPartial({
    eventId: eventId ?? (request?.requestId ? eventIdOf(provider, request.requestId, outcome.status) : randomUUID()),
    occurredAt: occurredAt.toISOString(),
    sourceService: adapterSourceService(provider),
    actor: { username: adapterActorName(provider), role: 'system', regionCode: '', organisation: provider },
    action: 'provider_answer_received',
    case: request
      ? {
          verificationId,
          program: oneOf(PROGRAMS, request.program),
          purpose: oneOf(PURPOSES, request.purpose),
          regionCode: REGION_CODE.test(request.regionCode) ? request.regionCode : '',
          authorizationRefs: [...new Set(request.authorizations.map((a) => a.documentRef))]
            .filter((r) => REFERENCE.test(r) && !containsIdentityNumber(r))
            .slice(0, 100),
        }
      : undefined,
    subjects: subjects.slice(0, 100),
    provider,
    dataCategories: categories,
    outcome: { status: outcome.status, ...('recordCount' in outcome ? { recordCount: outcome.recordCount } : {}) },
  });
}

/** Publishes the adapter's audit events (on the adapter's transport, as its answers are). */
export class AdapterAuditTrail {
  constructor(
    private readonly provider: string,
    private readonly publisher: MessagePublisher,
    private readonly identityHashKey: string | Buffer,
  ) {}

  /** The message of one handled request, to publish with the answer. */
  messageOf(request: QueryRequested | undefined, outcome: AdapterAuditOutcome, occurredAt: Date): OutgoingMessage {
    const event = adapterAuditEvent(this.provider, request, outcome, this.identityHashKey, occurredAt);
    return {
      topic: Topics.auditEventRecorded,
      key: event.case?.verificationId || event.eventId,
      value: AuditEventRecorded.encode(event).finish(),
    };
  }

  async record(request: QueryRequested | undefined, outcome: AdapterAuditOutcome, occurredAt: Date): Promise<void> {
    await this.publisher.publish([this.messageOf(request, outcome, occurredAt)]);
  }

  /**
   * Decodes a request; a message that does not decode is recorded as refused (undecodable_request) before
   * the error goes back to the transport (which dead-letters it).
   */
  async decode(decodeRequest: () => QueryRequested, now: Date = new Date()): Promise<QueryRequested> {
    try {
      return decodeRequest();
    } catch (err) {
      if (err instanceof MalformedMessageError) await this.record(undefined, { status: 'refused', category: 'undecodable_request' }, now);
      throw err;
    }
  }
}
