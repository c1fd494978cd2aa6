import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { DataSource, type EntityManager } from 'typeorm';
import {
  authorizationShortfalls,
  checkVerificationRules,
  containsIdentityNumber,
  maskIdentityNumber,
  todayInShanghai,
  type AuthorizationShortfall,
  type FieldError,
  type VerificationRequest,
} from '@verihub/domain';
import { enqueueOutbox, OutboxRelay } from '@verihub/persistence';
import { actorRef } from '../audit/audit-event.message';
import { AuditTrail } from '../audit/audit-trail';
import type { Actor } from '../auth/actor';
import { AuthorizationRepository } from '../authorizations/authorization.repository';
import { VerificationEntity } from '../database/verification.entity';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { toAppliedPolicy } from '../policies/policy.mapper';
import { PolicyRepository } from '../policies/policy.repository';
import type { CreateVerificationDto } from './create-verification.dto';
import { mayCreateIn } from './verification-access';
import { verificationRequestedMessage } from './verification-requested.message';
import type { VerificationCreatedView } from './verification.views';
import { VerificationRepository } from './verification.repository';
import { SourceRegistry } from './source-registry';
import { conflicts, newAuthorizationRecord, newVerification, toPlainRequest, verificationCreatedAct } from './verification-input';

/**
 * Accepts a household verification (先授权、后核对): the request is checked against the domain rules, its
 * authorizations against the records already kept under their document references (revoked, or the
 * reference of another person's or another document), and the applicable policy is found before anything
 * is written; then the authorization records (new ones, or the same document's record re-used), the
 * verification, its links to the records and its VerificationRequested message commit together. A refused
 * request stores and publishes nothing; a refusal for want of authorization leaves a `verification_refused`
 * audit event naming the members concerned (by keyed hash).
 */
@Injectable()
export class CreateVerificationUseCase {
  private readonly logger = new Logger(CreateVerificationUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly verifications: VerificationRepository,
    private readonly policies: PolicyRepository,
    private readonly sources: SourceRegistry,
    private readonly relay: OutboxRelay,
    private readonly audit: AuditTrail,
    private readonly authorizations: AuthorizationRepository,
  ) {}

  async execute(
    actor: Actor,
    input: CreateVerificationDto | VerificationRequest,
    now: Date = new Date(),
    options: CreateVerificationOptions = {},
  ): Promise<VerificationCreatedView> {
    if (!mayCreateIn(actor, input.regionCode)) {
      throw new GatewayException(
        GatewayExceptionCode.REGION_NOT_ALLOWED,
        `An officer of region ${actor.regionCode} may not create verifications for region ${input.regionCode}.`,
        [{ field: 'regionCode', message: `must be your own region (${actor.regionCode})` }],
      );
    }
    const request = toPlainRequest(input);
    const requiredProviders = this.sources.providerIds();
    const key = this.audit.identityHashKey;
    const id = options.id ?? randomUUID();
    const interactive = options.interactive ?? true;
    let entity: VerificationEntity | undefined;
    let policyVersion = 0;
    let policyId = '';
    try {
      await this.dataSource.transaction(async (manager) => {
        const refs = request.authorizations.map((a) => a.documentRef);
        const kept = await this.authorizations.lockByDocumentRefs(manager, refs);
        const byRef = new Map(kept.map((r) => [r.documentRef, r]));
        const revoked = new Map(kept.filter((r) => r.revokedAt).map((r) => [r.documentRef, r.revokedAt!.toISOString()]));
        const context = { requiredProviders, revoked };
        const problems = checkVerificationRules(request, now, context);
        if (problems.length === 0) problems.push(...conflicts(request, byRef, key, now));
        if (problems.length > 0) throw new AuthorizationRefusal(problems, authorizationShortfalls(request, now, context));

        const asOf = request.asOf ?? todayInShanghai(now);
        const policyRow = await this.policies.findApplicable(request.regionCode, request.program, asOf, manager);
        if (!policyRow) {
          const message = `no ${request.program} policy of region ${request.regionCode} is in force on ${asOf}`;
          throw new GatewayException(
            GatewayExceptionCode.NO_APPLICABLE_POLICY,
            `The request cannot be verified: ${message}. An administrator creates one with POST /api/v1/policies.`,
            [{ field: 'policy', message }],
          );
        }
        const policy = toAppliedPolicy(policyRow);
        policyId = policy.id;
        policyVersion = policy.version;

        // New documents become records; a document already kept is re-used (checked identical above).
        const fresh = request.authorizations
          .filter((a) => !byRef.has(a.documentRef))
          .map((a) => newAuthorizationRecord(a, request, actor, key, now));
        await this.authorizations.insertMissing(manager, fresh);
        // Re-read under lock: a concurrent request may have recorded one of these references first.
        const records = await this.authorizations.lockByDocumentRefs(manager, refs);
        const late = conflicts(request, new Map(records.map((r) => [r.documentRef, r])), key, now);
        if (late.length > 0) throw GatewayException.invalidInput(late);

        entity = newVerification(id, request, asOf, policy, this.sources.initialSources(), actor, now);
        const message = verificationRequestedMessage({ id, request, asOf, policy, requestedAt: now, requestedBy: actor.username, interactive });
        await this.verifications.insert(manager, entity);
        await this.authorizations.link(manager, id, records.map((r) => r.id));
        await enqueueOutbox(manager, [message]);
        await this.audit.enqueue(manager, verificationCreatedAct(entity, actor, now));
        await options.alongside?.(manager);
      });
    } catch (err) {
      if (!(err instanceof AuthorizationRefusal)) throw err;
      if (err.shortfalls.length === 0) throw GatewayException.invalidInput(err.problems);
      await this.recordRefusal(actor, request, err.shortfalls, now);
      throw GatewayException.invalidInput(err.problems).audited();
    }
    this.relay.nudge();
    const created = entity!;

    const applicant = request.members.find((m) => m.relation === 'applicant');
    // A batch submits thousands a minute: its items are logged at debug level (the batch logs its progress).
    this.logger[interactive ? 'log' : 'debug'](
      `verification ${id} accepted from ${actor.username}: ${request.program}/${request.purpose}, region ${request.regionCode}, ` +
        `${request.members.length} member(s), applicant ${applicant ? maskIdentityNumber(applicant.idNumber) : '-'}, policy v${policyVersion}`,
    );
    return {
      id,
      status: 'pending',
      createdAt: now.toISOString(),
      program: request.program,
      purpose: request.purpose,
      regionCode: request.regionCode,
      asOf: created.asOf,
      memberCount: request.members.length,
      policy: { id: policyId, version: policyVersion },
    };
  }

  /** Best effort: who tried to verify whom without valid authorization, and the document references cited. */
  private async recordRefusal(actor: Actor, request: VerificationRequest, shortfalls: AuthorizationShortfall[], now: Date): Promise<void> {
    await this.audit.recordBestEffort({
      action: 'verification_refused',
      actor: actorRef(actor),
      case: {
        program: request.program,
        purpose: request.purpose,
        regionCode: request.regionCode,
        // References are free text: only what the audit log accepts (a short label, no identity number).
        authorizationRefs: [...new Set(request.authorizations.map((a) => a.documentRef))].filter(
          (r) => r.length <= 64 && !containsIdentityNumber(r),
        ),
      },
      idNumbers: shortfalls.map((s) => s.idNumber),
      dataCategories: [...new Set(shortfalls.map((s) => `authorization_${s.reason}`))],
      status: 'refused',
      recordCount: shortfalls.length,
      occurredAt: now,
    });
  }
}

export interface CreateVerificationOptions {
  /** The verification's id (a batch fixes it at upload, so a household is never verified twice); default a new uuid. */
  id?: string;
  /** false for batch checks: the aggregator and the adapters handle them on the batch lane. Default true. */
  interactive?: boolean;
  /** Runs inside the creating transaction after the verification is written (a batch marks its item). */
  alongside?: (manager: EntityManager) => Promise<void>;
}

/** Refused inside the transaction (which rolls back), recorded after it. */
class AuthorizationRefusal extends Error {
  constructor(
    readonly problems: FieldError[],
    readonly shortfalls: AuthorizationShortfall[],
  ) {
    super('refused');
  }
}
