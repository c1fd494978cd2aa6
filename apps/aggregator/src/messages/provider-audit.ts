/**
 * The audit trail of the aggregator's acts on people's data (domain.md section 8): every query sent to a
 * provider (`provider_query_sent`) and every answer, failure or timeout (`provider_answer_received`), as
 * AuditEventRecorded messages enqueued in the outbox of the transaction that records the act.
 *
 * Who: VerificationRequested names only the requesting user (requested_by), not their role or region: the
 * actor is that username with role `officer` and the verification's region (a re-check's round names its
 * own requester). About whom: keyed hashes and masked forms of the members, never the numbers. Never any
 * record values or names.
 */
import { randomUUID } from 'crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditEventRecorded, Topics } from '@verihub/contracts';
import { auditSubjectOf, checkIdentityNumber, isBankProvider, providerRegistry, type AuditAction, type ProviderDescriptor } from '@verihub/domain';
import { encodeMessage, type OutgoingMessage } from '@verihub/messaging';
import { enqueueOutbox } from '@verihub/persistence';
import { AGGREGATOR_SETTINGS, type AggregatorSettings } from '../aggregator-options';
import { VerificationRepository } from '../repositories/verification.repository';
import type { ProviderRequestStatus } from '../rules/verification-rules';
import { shanghaiIso } from '../rules/verification-rules';

export const AGGREGATOR_SOURCE = 'aggregator';
/** VerificationRequested carries no role: whoever requests a verification acts as an officer. */
export const REQUESTER_ROLE = 'officer';
/** The aggregator acting by itself (stopping queries on a revocation). */
export const SYSTEM_ROLE = 'system';

/** The audit category of a rejected answer's reason ("answer signature missing" -> answer_signature_missing). */
export function rejectionCategory(reason: string): string {
  return reason.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'answer_refused';
}

/** The case a provider act belongs to (a verification as the aggregator holds it, opened). */
export interface AuditedCase {
  id: string;
  program: string;
  purpose: string;
  regionCode: string;
  members: ReadonlyArray<{ idNumber: string }>;
  authorizations: ReadonlyArray<{ documentRef: string }>;
}

export interface ProviderAct {
  action: Extract<AuditAction, 'provider_query_sent' | 'provider_answer_received'>;
  verification: AuditedCase;
  /** The username that requested the round the act belongs to. */
  requestedBy: string;
  provider: string;
  /**
   * `succeeded` for a query sent; the source status for an answer (answered | no_record | error | timeout);
   * `refused` for an answer the aggregator did not believe or did not take (unsigned, forged, to a stopped
   * query); `not_queried` for a query stopped before its answer (authorization revoked).
   */
  status: 'succeeded' | 'refused' | Exclude<ProviderRequestStatus, 'pending'>;
  /** Why it was refused or stopped (answer_signature_missing, authorization_revoked, ...): the event's data category. */
  reason?: string;
  /** The actor's role; default the requester's (officer). An automatic step is the `system`'s. */
  role?: string;
  /** Records answered (answers only). */
  recordCount?: number;
  /** Answer time − request time (answers only). */
  latencyMs?: number;
  occurredAt: Date;
}

/** The data categories a provider answers for (the provider registry); any bank answers for a bank's. */
export function dataCategoriesOf(provider: string, registry: readonly ProviderDescriptor[]): string[] {
  const known =
    registry.find((p) => p.id === provider) ??
    (isBankProvider(provider) ? providerRegistry([provider.slice('bank:'.length)]).find((p) => p.id === provider) : undefined);
  return known ? [...known.categories] : [];
}

/** The event of one act: who, why, about whom (keyed hashes, masked forms), what, when, outcome, latency. */
export function providerAuditEvent(act: ProviderAct, identityHashKey: string, registry: readonly ProviderDescriptor[]): AuditEventRecorded {
  const v = act.verification;
  const subjects = [...new Set(v.members.map((m) => m.idNumber))]
    // A number that is not a valid identity number cannot be masked reliably: it is left out rather than sent.
    .filter((id) => checkIdentityNumber(id).valid)
    .map((id) => auditSubjectOf(id, identityHashKey));
  return AuditEventRecorded.fromPartial({
    eventId: randomUUID(),
    occurredAt: shanghaiIso(act.occurredAt),
    sourceService: AGGREGATOR_SOURCE,
    actor: { username: act.requestedBy || 'unknown', role: act.role ?? REQUESTER_ROLE, regionCode: act.role === SYSTEM_ROLE ? '' : v.regionCode, organisation: '' },
    action: act.action,
    case: {
      verificationId: v.id,
      program: v.program,
      purpose: v.purpose,
      regionCode: v.regionCode,
      authorizationRefs: [...new Set(v.authorizations.map((a) => a.documentRef))],
    },
    subjects,
    provider: act.provider,
    dataCategories: act.reason ? [act.reason] : dataCategoriesOf(act.provider, registry),
    outcome: { status: act.status, ...(act.recordCount !== undefined ? { recordCount: act.recordCount } : {}) },
    ...(act.latencyMs !== undefined ? { latencyMs: Math.max(0, Math.round(act.latencyMs)) } : {}),
  });
}

/** On Topics.auditEventRecorded, keyed by the verification id. */
export function auditMessageOf(event: AuditEventRecorded): OutgoingMessage {
  return { topic: Topics.auditEventRecorded, key: event.case?.verificationId || event.eventId, value: encodeMessage(AuditEventRecorded, event) };
}

/** The provider_query_sent acts of a round: one per provider asked, on behalf of the round's requester. */
export function querySentActs(verification: AuditedCase, requestedBy: string, providers: readonly string[], now: Date): ProviderAct[] {
  return providers.map((provider) => ({ action: 'provider_query_sent', verification, requestedBy, provider, status: 'succeeded', occurredAt: now }));
}

/** A request as the answer's audit event needs it. */
export interface AuditedRequest {
  round: number;
  provider: string;
  requestedAt: Date;
}

/** What became of one request, as its provider_answer_received tells it. */
export interface AnswerOutcome {
  request: AuditedRequest;
  status: ProviderAct['status'];
  recordCount?: number;
  reason?: string;
}

/**
 * The provider_answer_received acts of outcomes of one verification, each on behalf of whoever requested the
 * request's round (`requesterOf`; the verification's requester when the round names none).
 */
export function answerReceivedActs(
  verification: AuditedCase & { requestedBy: string },
  outcomes: readonly AnswerOutcome[],
  requesterOf: (round: number) => string | undefined,
  now: Date,
): ProviderAct[] {
  return outcomes.map(({ request, status, recordCount, reason }): ProviderAct => ({
    action: 'provider_answer_received',
    verification,
    requestedBy: requesterOf(request.round) ?? verification.requestedBy,
    provider: request.provider,
    status,
    ...(reason !== undefined ? { reason } : {}),
    ...(recordCount !== undefined ? { recordCount } : {}),
    latencyMs: now.getTime() - request.requestedAt.getTime(),
    occurredAt: now,
  }));
}

/** Enqueues the audit events of provider acts in the caller's transaction (the relay publishes them after commit). */
@Injectable()
export class ProviderAuditTrail {
  constructor(
    @Inject(AGGREGATOR_SETTINGS) private readonly settings: AggregatorSettings,
    private readonly verifications: VerificationRepository,
  ) {}

  /**
   * One provider_answer_received per request whose outcome was just recorded (an answer, a failure, a
   * refused signature or a timeout); on behalf of whoever requested the request's round.
   */
  async answersReceived(
    manager: EntityManager,
    verification: AuditedCase & { requestedBy: string },
    outcomes: AnswerOutcome[],
    now: Date,
  ): Promise<void> {
    const requesters = new Map<number, string>();
    for (const round of new Set(outcomes.map((o) => o.request.round))) {
      requesters.set(round, (await this.verifications.findRound(manager, verification.id, round))?.requestedBy ?? verification.requestedBy);
    }
    await this.enqueue(manager, answerReceivedActs(verification, outcomes, (round) => requesters.get(round), now));
  }

  /**
   * One event per query stopped because a member's authorization was revoked: no answer will be taken,
   * status not_queried, reason authorization_revoked; the aggregator itself (`system`) acted.
   */
  async queriesStopped(manager: EntityManager, verification: AuditedCase, requests: ReadonlyArray<{ provider: string }>, now: Date): Promise<void> {
    await this.enqueue(
      manager,
      requests.map((r) => ({
        action: 'provider_answer_received',
        verification,
        requestedBy: 'system',
        role: SYSTEM_ROLE,
        provider: r.provider,
        status: 'not_queried',
        reason: 'authorization_revoked',
        occurredAt: now,
      })),
    );
  }

  async enqueue(manager: EntityManager, acts: ProviderAct[]): Promise<void> {
    await enqueueOutbox(manager, this.messagesOf(acts));
  }

  /** The outbox messages of acts, for a caller that enqueues them with others in one statement. */
  messagesOf(acts: readonly ProviderAct[]): OutgoingMessage[] {
    const { consent, providers } = this.settings;
    return acts.map((act) => auditMessageOf(providerAuditEvent(act, consent.identityHashKey, providers)));
  }
}
