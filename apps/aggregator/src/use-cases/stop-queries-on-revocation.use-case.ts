import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { OutboxRelay } from '@verihub/persistence';
import { ProviderAuditTrail } from '../messages/provider-audit';
import { VerificationUpdates } from '../messages/verification-updates';
import { ReportIssuer } from '../reports/report-issuer';
import { ProviderRequestRepository } from '../repositories/provider-request.repository';
import { ReportVersionRepository } from '../repositories/report-version.repository';
import { VerificationRepository } from '../repositories/verification.repository';
import { AUTHORIZATION_REVOKED_REASON, ChangeReasons, verificationStateOf } from '../rules/verification-rules';

/** An AuthorizationRevoked, read: whose authorization, and the verifications that cited it. */
export interface StopQueriesCommand {
  authorizationId: string;
  /** Keyed hash of the member's identity number (never the number). */
  memberIdHash: string;
  revokedAt: Date;
  verificationIds: string[];
}

export interface StopQueriesResult {
  /** Verifications whose pending requests were stopped. */
  verifications: number;
  /** Requests marked not_queried. */
  stopped: number;
  /** Reports issued because a round ended with the stop. */
  reportsIssued: number;
}

/**
 * A member's authorization was revoked: no further queries about that person. Every still-pending provider
 * request of the verifications that cited the authorization — and of any other verification about the member
 * (by keyed hash) — is marked `not_queried` ("authorization revoked"); a current round left with nothing
 * pending gets its report (partial, change reason "authorization revoked"). Each verification in its own
 * transaction on its row lock. A redelivered message finds nothing pending and changes nothing; an answer
 * arriving afterwards for a stopped request is ignored (RecordAnswerUseCase).
 *
 * Each stopped query leaves an audit event (provider_answer_received, status not_queried, reason
 * authorization_revoked, actor `system`) in the same transaction; the gateway audits the revocation itself
 * (authorization_revoked).
 */
@Injectable()
export class StopQueriesOnRevocationUseCase {
  private readonly logger = new Logger(StopQueriesOnRevocationUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly verifications: VerificationRepository,
    private readonly requests: ProviderRequestRepository,
    private readonly reports: ReportVersionRepository,
    private readonly issuer: ReportIssuer,
    private readonly updates: VerificationUpdates,
    private readonly relay: OutboxRelay,
    private readonly audit: ProviderAuditTrail,
  ) {}

  async execute(command: StopQueriesCommand, now: Date = new Date()): Promise<StopQueriesResult> {
    const result: StopQueriesResult = { verifications: 0, stopped: 0, reportsIssued: 0 };
    const manager = this.dataSource.manager;
    const about = await this.verifications.idsWithMemberHash(manager, command.memberIdHash);
    const candidates = await this.requests.verificationIdsWithPending(manager, [...new Set([...command.verificationIds, ...about])]);
    for (const id of candidates) {
      const outcome = await this.dataSource.transaction((m) => this.stop(m, id, now));
      if (outcome.stopped > 0) {
        result.verifications += 1;
        result.stopped += outcome.stopped;
        result.reportsIssued += outcome.reportIssued ? 1 : 0;
      }
    }
    if (result.stopped > 0) this.relay.nudge();
    this.logger.log(
      `authorization ${command.authorizationId} revoked: ${result.stopped} pending request(s) of ${result.verifications} verification(s) stopped`,
    );
    return result;
  }

  private async stop(manager: EntityManager, id: string, now: Date): Promise<{ stopped: number; reportIssued: boolean }> {
    const verification = await this.verifications.lock(manager, id);
    if (!verification) return { stopped: 0, reportIssued: false };
    const stopped = await this.requests.stopPending(manager, id, AUTHORIZATION_REVOKED_REASON);
    if (stopped.length === 0) return { stopped: 0, reportIssued: false };
    this.logger.warn(`verification ${id}: queries to ${stopped.map((r) => r.provider).join(', ')} stopped (authorization revoked)`);
    await this.audit.queriesStopped(manager, verification, stopped, now);
    if (!stopped.some((r) => r.round === verification.currentRound)) return { stopped: stopped.length, reportIssued: false };

    const round = await this.requests.forRound(manager, id, verification.currentRound);
    const state = verificationStateOf(round.map((r) => r.status));
    if (state === 'pending' || (await this.reports.existsForRound(manager, id, verification.currentRound))) {
      await this.updates.enqueue(manager, id);
      return { stopped: stopped.length, reportIssued: false };
    }
    await this.issuer.issue(manager, verification, state, ChangeReasons.authorizationRevoked, now);
    return { stopped: stopped.length, reportIssued: true };
  }
}
