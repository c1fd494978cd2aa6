import { randomUUID } from 'crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  DEFAULT_INCOME_LOOKBACK_MONTHS,
  lookbackFor,
  queryTokenClaimsFor,
  signQueryToken,
  type Authorization,
  type Declaration,
  type HouseholdMember,
  type PolicyVersion,
} from '@verihub/domain';
import { OutboxRelay, enqueueOutbox } from '@verihub/persistence';
import { AGGREGATOR_SETTINGS, type AggregatorSettings } from '../aggregator-options';
import type { VerificationEntity } from '../entities/verification.entity';
import { queryRequestedMessage } from '../messages/outgoing-messages';
import { ProviderAuditTrail } from '../messages/provider-audit';
import { VerificationUpdates } from '../messages/verification-updates';
import { ProviderRequestRepository } from '../repositories/provider-request.repository';
import { VerificationRepository, type VerificationSubject } from '../repositories/verification.repository';
import { deadlineFor } from '../rules/verification-rules';
import { AggregatorErrorCode, AggregatorException } from './aggregator.exception';

export interface StartVerificationCommand {
  verificationId: string;
  program: string;
  purpose: string;
  regionCode: string;
  /** "YYYY-MM-DD" */
  asOf: string;
  /** Empty only in a re-check that keeps the household as it was. */
  members: HouseholdMember[];
  authorizations: Authorization[];
  /** null: nothing declared (a re-check keeps the earlier declaration). */
  declared: Declaration | null;
  /** null only in a re-check that keeps the policy. */
  policy: PolicyVersion | null;
  interactive: boolean;
  /** Identifies this request together with the verification id: a redelivery has the same instant. */
  requestedAt: Date;
  requestedBy: string;
  /** Set for a re-check of an existing verification (objection, review). */
  recheckReason: string | null;
}

export type StartVerificationResult = 'started' | 'recheck_started' | 'duplicate';

/**
 * Starts a verification (or a re-check round of one): one provider request per registered provider,
 * with its deadline, and in the same transaction one QueryRequested per provider and a pending
 * VerificationUpdated in the outbox. Idempotent: a redelivered request changes nothing.
 */
@Injectable()
export class StartVerificationUseCase {
  private readonly logger = new Logger(StartVerificationUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(AGGREGATOR_SETTINGS) private readonly settings: AggregatorSettings,
    private readonly verifications: VerificationRepository,
    private readonly requests: ProviderRequestRepository,
    private readonly updates: VerificationUpdates,
    private readonly audit: ProviderAuditTrail,
    private readonly relay: OutboxRelay,
  ) {}

  async execute(command: StartVerificationCommand, now: Date = new Date()): Promise<StartVerificationResult> {
    const result = await this.dataSource.transaction((manager) => this.start(manager, command, now));
    if (result === 'duplicate') {
      this.logger.log(`verification ${command.verificationId}: request already handled, nothing to do`);
    } else {
      this.logger[command.interactive ? 'log' : 'debug'](
        `verification ${command.verificationId}: ${result === 'started' ? 'started' : 're-check started'}, ` +
          `asking ${this.settings.providers.map((p) => p.id).join(', ')}`,
      );
      this.relay.nudge();
    }
    return result;
  }

  private async start(manager: EntityManager, command: StartVerificationCommand, now: Date): Promise<StartVerificationResult> {
    const { verificationId, requestedAt, requestedBy, recheckReason } = command;
    const subject = this.subjectOf(command);
    if (subject && (await this.verifications.insertIfAbsent(manager, { id: verificationId, requestedAt, requestedBy, ...subject }))) {
      await this.verifications.addRound(manager, { verificationId, round: 1, recheckReason, requestedAt, requestedBy });
      await this.askProviders(manager, verificationId, 1, subject, requestedBy, now);
      return 'started';
    }
    if (!recheckReason) {
      if (!subject) throw new AggregatorException(AggregatorErrorCode.InvalidRequest, 'a new verification needs members and a policy');
      return 'duplicate';
    }

    const verification = await this.verifications.lock(manager, verificationId);
    if (!verification) {
      throw new AggregatorException(
        AggregatorErrorCode.InvalidRequest,
        `re-check of unknown verification ${verificationId} carries no members or no policy`,
      );
    }
    const round = verification.currentRound + 1;
    if (!(await this.verifications.addRound(manager, { verificationId, round, recheckReason, requestedAt, requestedBy }))) {
      return 'duplicate';
    }
    const recheckSubject = this.recheckSubjectOf(command, verification);
    await this.verifications.startRound(manager, verificationId, round, recheckSubject);
    await this.askProviders(manager, verificationId, round, recheckSubject, requestedBy, now);
    return 'recheck_started';
  }

  private async askProviders(
    manager: EntityManager,
    verificationId: string,
    round: number,
    subject: VerificationSubject,
    requestedBy: string,
    now: Date,
  ): Promise<void> {
    const deadline = deadlineFor(now, this.settings.providerDeadlineMs);
    const incomePeriod = lookbackFor(subject.asOf, subject.policy.incomeLookbackMonths || DEFAULT_INCOME_LOOKBACK_MONTHS);
    const requests = this.settings.providers.map((provider) => ({
      requestId: randomUUID(),
      verificationId,
      round,
      provider: provider.id,
      deadline,
      requestedAt: now,
    }));
    await this.requests.insertPending(manager, requests);
    await enqueueOutbox(
      manager,
      requests.map((request) =>
        queryRequestedMessage({
          requestId: request.requestId,
          verificationId,
          provider: request.provider,
          members: subject.members,
          authorizations: subject.authorizations,
          incomePeriod,
          assetsAsOf: subject.asOf,
          deadline,
          program: subject.program,
          purpose: subject.purpose,
          regionCode: subject.regionCode,
          interactive: subject.interactive,
          queryToken: this.queryToken(request.provider, verificationId, request.requestId, subject, deadline, now),
        }),
      ),
    );
    // The audit log hears of each query in the same transaction: no query without its record.
    await this.audit.queriesSent(manager, { id: verificationId, ...subject }, requestedBy, requests.map((r) => r.provider), now);
    await this.updates.enqueue(manager, verificationId);
  }

  /** The signed, short-lived token that lets this provider answer this request about these members. */
  private queryToken(provider: string, verificationId: string, requestId: string, subject: VerificationSubject, deadline: Date, now: Date): string {
    const { querySigningKey, identityHashKey } = this.settings.consent;
    const claims = queryTokenClaimsFor(
      {
        provider,
        verificationId,
        requestId,
        purpose: subject.purpose,
        program: subject.program,
        idNumbers: subject.members.map((m) => m.idNumber),
        deadline,
      },
      identityHashKey,
      now,
    );
    return signQueryToken(claims, querySigningKey);
  }

  /** The subject of a new verification, or null when the command lacks what one needs. */
  private subjectOf(command: StartVerificationCommand): VerificationSubject | null {
    if (command.members.length === 0 || !command.policy) return null;
    return {
      program: command.program,
      purpose: command.purpose,
      regionCode: command.regionCode,
      asOf: command.asOf,
      members: command.members,
      authorizations: command.authorizations,
      declared: command.declared,
      policy: command.policy,
      interactive: command.interactive,
    };
  }

  /** A re-check asks about the household as the command describes it; what it leaves out stays as it was. */
  private recheckSubjectOf(command: StartVerificationCommand, current: VerificationEntity): VerificationSubject {
    const keepsHousehold = command.members.length === 0;
    return {
      program: command.program,
      purpose: command.purpose,
      regionCode: command.regionCode,
      asOf: command.asOf,
      members: keepsHousehold ? current.members : command.members,
      authorizations: keepsHousehold ? current.authorizations : command.authorizations,
      declared: command.declared ?? current.declared,
      policy: command.policy ?? current.policy,
      interactive: command.interactive,
    };
  }
}
