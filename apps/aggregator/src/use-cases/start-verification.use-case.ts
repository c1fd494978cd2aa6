import { randomUUID } from 'crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DEFAULT_INCOME_LOOKBACK_MONTHS, lookbackFor, queryTokenClaimsFor, signQueryToken } from '@verihub/domain';
import type { OutgoingMessage } from '@verihub/messaging';
import { OutboxRelay, enqueueOutbox } from '@verihub/persistence';
import { AGGREGATOR_SETTINGS, type AggregatorSettings } from '../aggregator-options';
import { queryRequestedMessage, verificationUpdatedMessage } from '../messages/outgoing-messages';
import { ProviderAuditTrail, querySentActs } from '../messages/provider-audit';
import { type NewProviderRequest, ProviderRequestRepository } from '../repositories/provider-request.repository';
import { type IssuedReport, ReportVersionRepository } from '../repositories/report-version.repository';
import { VerificationRepository, type VerificationSubject } from '../repositories/verification.repository';
import { deadlineFor } from '../rules/verification-rules';
import { StartBatch, type StartedRound } from './start-batch';
import type { StartVerificationCommand, StartVerificationResult } from './start-verification-command';

export type { StartVerificationCommand, StartVerificationResult } from './start-verification-command';

/**
 * Starts a verification (or a re-check round of one): one provider request per registered provider,
 * with its deadline, and in the same transaction one QueryRequested per provider, one provider_query_sent
 * audit event per provider and a pending VerificationUpdated in the outbox. Idempotent: a redelivered
 * request changes nothing.
 *
 * Many requests at once (executeBatch: a batch of the request topic) share one transaction: it locks those
 * of their verifications that exist in id order (as answer batches do: the two never deadlock), reads the
 * rounds a re-check needs once, applies the requests in log order in memory (StartBatch: the decisions
 * above, one request after the other), and writes each table with one statement — verifications, rounds,
 * requests, the outbox. Eight statements for a batch of new checks (BEGIN and COMMIT included), at most three
 * more with re-checks, whatever its size; one request that can never start anything (AggregatorException)
 * fails the whole batch before anything is written, and the transport hands its messages over again one at a
 * time.
 */
@Injectable()
export class StartVerificationUseCase {
  private readonly logger = new Logger(StartVerificationUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(AGGREGATOR_SETTINGS) private readonly settings: AggregatorSettings,
    private readonly verifications: VerificationRepository,
    private readonly requests: ProviderRequestRepository,
    private readonly reports: ReportVersionRepository,
    private readonly audit: ProviderAuditTrail,
    private readonly relay: OutboxRelay,
  ) {}

  async execute(command: StartVerificationCommand, now: Date = new Date()): Promise<StartVerificationResult> {
    const [result] = await this.executeBatch([command], now);
    return result;
  }

  /** Applies the requests in their order, in one transaction; one result per request. */
  async executeBatch(commands: readonly StartVerificationCommand[], now: Date = new Date()): Promise<StartVerificationResult[]> {
    if (commands.length === 0) return [];
    const results = await this.dataSource.transaction((manager) => this.startAll(manager, commands, now));
    commands.forEach((command, i) => this.logResult(command, results[i]));
    if (results.some((r) => r !== 'duplicate')) this.relay.nudge();
    return results;
  }

  private async startAll(manager: EntityManager, commands: readonly StartVerificationCommand[], now: Date): Promise<StartVerificationResult[]> {
    const existing = await this.verifications.lockAll(manager, [...new Set(commands.map((c) => c.verificationId))]);
    const recheckIds = new Set(commands.filter((c) => c.recheckReason).map((c) => c.verificationId));
    const rechecked = existing.filter((v) => recheckIds.has(v.id)).map((v) => v.id);
    const batch = new StartBatch({ verifications: existing, rounds: await this.verifications.roundsOf(manager, rechecked) });
    const results = commands.map((command) => batch.apply(command));
    if (batch.started.length === 0) return results;

    const created = batch.newVerifications();
    const inserted = await this.verifications.insertAll(manager, created);
    if (inserted.length !== created.length) {
      // Read as absent under the locks, yet there now: another transaction started it meanwhile (one key is one
      // partition, so hardly ever). Retried — one request at a time, each then finds it.
      throw new Error(`verification(s) ${created.filter((v) => !inserted.includes(v.id)).map((v) => v.id).join(', ')} started concurrently`);
    }
    await this.verifications.startRounds(manager, batch.roundStarts());
    await this.verifications.addRounds(manager, batch.rounds);
    const deadline = deadlineFor(now, this.settings.providerDeadlineMs);
    const asked = batch.started.map((round) => ({ round, requests: this.requestsOf(round, deadline, now) }));
    await this.requests.insertPending(manager, asked.flatMap((a) => a.requests));
    const reports = await this.reports.findAll(manager, batch.started.map((s) => ({ verificationId: s.verificationId, version: s.reportVersion })));
    // With the verifications locked and written: the same clock VerificationUpdates reads (see there).
    const [{ now: updatedAt }] = (await manager.query('SELECT clock_timestamp() AS now')) as [{ now: Date }];
    // Each round's messages in the order one start at a time enqueued them: queries, their audit events, the snapshot.
    await enqueueOutbox(
      manager,
      asked.flatMap(({ round, requests }) => [
        ...this.queriesOf(round, requests, deadline, now),
        // The audit log hears of each query in the same transaction: no query without its record.
        ...this.audit.messagesOf(querySentActs({ id: round.verificationId, ...round.subject }, round.requestedBy, requests.map((r) => r.provider), now)),
        this.pendingUpdateOf(round, requests, reports, updatedAt),
      ]),
    );
    return results;
  }

  /** One request per registered provider, in the registry's order. */
  private requestsOf(round: StartedRound, deadline: Date, now: Date): NewProviderRequest[] {
    return this.settings.providers.map((provider) => ({
      requestId: randomUUID(),
      verificationId: round.verificationId,
      round: round.round,
      provider: provider.id,
      deadline,
      requestedAt: now,
    }));
  }

  private queriesOf(round: StartedRound, requests: readonly NewProviderRequest[], deadline: Date, now: Date): OutgoingMessage[] {
    const { verificationId, subject } = round;
    const incomePeriod = lookbackFor(subject.asOf, subject.policy.incomeLookbackMonths || DEFAULT_INCOME_LOOKBACK_MONTHS);
    return requests.map((request) =>
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
    );
  }

  /**
   * The VerificationUpdated of a round just started: pending, every source pending (by provider, as the table
   * orders a round's requests), and the newest report version there is (a re-check's earlier report).
   */
  private pendingUpdateOf(round: StartedRound, requests: readonly NewProviderRequest[], reports: readonly IssuedReport[], updatedAt: Date): OutgoingMessage {
    const latest = reports.find((r) => r.verificationId === round.verificationId && r.version === round.reportVersion);
    const sources = [...requests]
      .sort((a, b) => (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : 0))
      .map((r) => ({ provider: r.provider, status: 'pending' as const, recordCount: 0, respondedAt: null, reason: null, late: false }));
    return verificationUpdatedMessage({
      verificationId: round.verificationId,
      status: 'pending',
      sources,
      reportVersion: latest?.version ?? 0,
      reportJson: latest ? JSON.stringify(latest.report) : '',
      changeReason: latest?.changeReason ?? '',
      updatedAt,
      interactive: round.subject.interactive,
    });
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

  private logResult(command: StartVerificationCommand, result: StartVerificationResult): void {
    if (result === 'duplicate') {
      this.logger.log(`verification ${command.verificationId}: request already handled, nothing to do`);
      return;
    }
    this.logger[command.interactive ? 'log' : 'debug'](
      `verification ${command.verificationId}: ${result === 'started' ? 'started' : 're-check started'}, ` +
        `asking ${this.settings.providers.map((p) => p.id).join(', ')}`,
    );
  }
}
