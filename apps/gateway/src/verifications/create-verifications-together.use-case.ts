import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { checkVerificationRules, todayInShanghai, type VerificationRequest } from '@verihub/domain';
import { enqueueOutbox, OutboxRelay } from '@verihub/persistence';
import { AuditTrail } from '../audit/audit-trail';
import type { Actor } from '../auth/actor';
import type { AuthorizationEntity } from '../authorizations/authorization.entity';
import { AuthorizationRepository } from '../authorizations/authorization.repository';
import type { VerificationEntity } from '../database/verification.entity';
import { toAppliedPolicy } from '../policies/policy.mapper';
import { PolicyRepository } from '../policies/policy.repository';
import { mayCreateIn } from './verification-access';
import { conflicts, newAuthorizationRecord, newVerification, toPlainRequest, verificationCreatedAct } from './verification-input';
import { verificationRequestedMessage } from './verification-requested.message';
import { VerificationRepository } from './verification.repository';
import { SourceRegistry } from './source-registry';

/** A household of a batch: its verification id (fixed at upload) and its request. */
export interface HouseholdSubmission {
  id: string;
  request: VerificationRequest;
}

export interface TogetherOutcome {
  /** Accepted and written: verification, authorization records and links, messages, audit events. */
  created: string[];
  /**
   * Not written: each would be refused (a rule, an authorization, no policy, another region) — to be submitted
   * alone (CreateVerificationUseCase), which refuses it with its reasons and audits the refusal as usual.
   */
  alone: string[];
}

/** The batch's items are no longer all as expected (`alongside` says so): nothing was written. */
export class SubmissionConflict extends Error {
  override name = 'SubmissionConflict';
}

/**
 * Accepts many households of one actor in one transaction — what CreateVerificationUseCase does for one, with
 * the same rules in the same order, for batches (the cost of a household is in its statements): the cited
 * documents' records are locked once (in reference order), policies read once per region/programme/date, and
 * the records, verifications, links, VerificationRequested messages and audit events each written with one
 * statement. A household that would be refused is left out (`alone`); anything that changed under the lock
 * (a concurrent request recorded one of the documents differently) throws SubmissionConflict with nothing
 * written, and the caller submits the households alone.
 */
@Injectable()
export class CreateVerificationsTogetherUseCase {
  private readonly logger = new Logger(CreateVerificationsTogetherUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly verifications: VerificationRepository,
    private readonly policies: PolicyRepository,
    private readonly sources: SourceRegistry,
    private readonly relay: OutboxRelay,
    private readonly audit: AuditTrail,
    private readonly authorizations: AuthorizationRepository,
  ) {}

  /**
   * `alongside` runs in the transaction with the ids created (a batch marks its items submitted); it throws
   * SubmissionConflict when they are not all as expected. Every household goes on the batch lane.
   */
  async execute(
    actor: Actor,
    households: readonly HouseholdSubmission[],
    alongside: (manager: EntityManager, created: readonly string[]) => Promise<void>,
    now: Date = new Date(),
  ): Promise<TogetherOutcome> {
    const key = this.audit.identityHashKey;
    const requiredProviders = this.sources.providerIds();
    const alone: string[] = [];
    const candidates = households.flatMap((h) => {
      if (mayCreateIn(actor, h.request.regionCode)) return [{ id: h.id, request: toPlainRequest(h.request) }];
      alone.push(h.id);
      return [];
    });

    const created = await this.dataSource.transaction(async (manager) => {
      const refs = candidates.flatMap((c) => c.request.authorizations.map((a) => a.documentRef));
      const kept = await this.authorizations.lockByDocumentRefs(manager, refs);
      const revoked = new Map(kept.filter((r) => r.revokedAt).map((r) => [r.documentRef, r.revokedAt!.toISOString()]));
      // The records as each household sees them: kept ones, and those of households accepted before it.
      const known = new Map(kept.map((r) => [r.documentRef, r]));
      const fresh: AuthorizationEntity[] = [];
      const policies = new Map<string, ReturnType<typeof toAppliedPolicy> | null>();
      const accepted: Array<{ id: string; request: VerificationRequest; asOf: string; policy: ReturnType<typeof toAppliedPolicy> }> = [];

      for (const { id, request } of candidates) {
        const problems = checkVerificationRules(request, now, { requiredProviders, revoked });
        if (problems.length > 0 || conflicts(request, known, key, now).length > 0) {
          alone.push(id);
          continue;
        }
        const asOf = request.asOf ?? todayInShanghai(now);
        const policyKey = `${request.regionCode}|${request.program}|${asOf}`;
        if (!policies.has(policyKey)) {
          const row = await this.policies.findApplicable(request.regionCode, request.program, asOf, manager);
          policies.set(policyKey, row ? toAppliedPolicy(row) : null);
        }
        const policy = policies.get(policyKey);
        if (!policy) {
          alone.push(id);
          continue;
        }
        for (const a of request.authorizations) {
          if (known.has(a.documentRef)) continue;
          const record = newAuthorizationRecord(a, request, actor, key, now);
          known.set(a.documentRef, record);
          fresh.push(record);
        }
        accepted.push({ id, request, asOf, policy });
      }
      if (accepted.length === 0) return [];

      await this.authorizations.insertMissing(manager, fresh);
      // Re-read under lock: a concurrent request may have recorded one of these references first.
      const records = new Map((await this.authorizations.lockByDocumentRefs(manager, [...known.keys()])).map((r) => [r.documentRef, r]));
      if (accepted.some(({ request }) => conflicts(request, records, key, now).length > 0)) {
        throw new SubmissionConflict('a cited document was recorded differently meanwhile');
      }

      const initialSources = this.sources.initialSources();
      const entities: VerificationEntity[] = accepted.map(({ id, request, asOf, policy }) =>
        newVerification(id, request, asOf, policy, initialSources, actor, now),
      );
      await this.verifications.insertMany(manager, entities);
      await this.authorizations.linkMany(
        manager,
        accepted.map(({ id, request }) => ({ verificationId: id, authorizationIds: request.authorizations.map((a) => records.get(a.documentRef)!.id) })),
      );
      await enqueueOutbox(
        manager,
        accepted.map(({ id, request, asOf, policy }) =>
          verificationRequestedMessage({ id, request, asOf, policy, requestedAt: now, requestedBy: actor.username, interactive: false }),
        ),
      );
      await this.audit.enqueue(manager, ...entities.map((entity) => verificationCreatedAct(entity, actor, now)));
      const ids = accepted.map((a) => a.id);
      await alongside(manager, ids);
      return ids;
    });
    if (created.length > 0) this.relay.nudge();
    this.logger.debug(`${created.length} verification(s) accepted together from ${actor.username}; ${alone.length} left to be submitted alone`);
    return { created, alone };
  }
}
