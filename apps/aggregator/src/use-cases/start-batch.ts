import type { VerificationRoundEntity } from '../entities/verification-round.entity';
import type { VerificationEntity } from '../entities/verification.entity';
import type { NewRound, NewVerification, RoundStart, VerificationSubject } from '../repositories/verification.repository';
import { AggregatorErrorCode, AggregatorException } from './aggregator.exception';
import type { StartVerificationCommand, StartVerificationResult } from './start-verification-command';

/** What a batch of starts is applied to: read in its transaction, with the verifications locked. */
export interface LockedStarts {
  /** Those of the batch's verifications that exist, locked and opened. */
  verifications: VerificationEntity[];
  /** Their rounds — at least those of every verification the batch re-checks. */
  rounds: VerificationRoundEntity[];
}

/** A round the batch starts: one request per provider about `subject`, on behalf of `requestedBy`. */
export interface StartedRound {
  verificationId: string;
  round: number;
  subject: VerificationSubject;
  requestedBy: string;
  /** The newest report version as the round starts: its snapshot shows that version (a re-check keeps it). */
  reportVersion: number;
}

interface Case {
  id: string;
  subject: VerificationSubject;
  requestedAt: Date;
  requestedBy: string;
  currentRound: number;
  reportVersion: number;
  /** Not in the table yet: the batch inserts it (as it stands after the batch). */
  isNew: boolean;
  /** An existing verification moved to a new round by the batch. */
  moved: boolean;
  /** Its rounds' numbers and request instants (ms): a VerificationRequested is identified by (id, requested_at). */
  rounds: Set<number>;
  requestedAts: Set<number>;
}

/**
 * Applies VerificationRequested commands, in log order, to verifications read once under their locks — the
 * decisions StartVerificationUseCase took one transaction per request, in the same order — and collects what
 * they write: new verifications, existing ones moved to a re-check round, rounds, and the rounds started (whose
 * provider requests and messages the use case makes). It reads and writes nothing itself.
 *
 * A request for an unknown verification starts it in round 1 (with its re-check reason, if any); another
 * request without a re-check reason is a redelivery (nothing happens); a re-check starts round N+1 unless a
 * round with its request instant exists (a redelivered re-check).
 */
export class StartBatch {
  private readonly cases = new Map<string, Case>();
  readonly rounds: NewRound[] = [];
  readonly started: StartedRound[] = [];

  constructor(locked: LockedStarts) {
    for (const v of locked.verifications) {
      this.cases.set(v.id, {
        id: v.id,
        subject: subjectOfRow(v),
        requestedAt: v.requestedAt,
        requestedBy: v.requestedBy,
        currentRound: v.currentRound,
        reportVersion: v.reportVersion,
        isNew: false,
        moved: false,
        rounds: new Set(),
        requestedAts: new Set(),
      });
    }
    for (const round of locked.rounds) {
      const known = this.cases.get(round.verificationId);
      known?.rounds.add(round.round);
      known?.requestedAts.add(round.requestedAt.getTime());
    }
  }

  /** Applies one command; throws AggregatorException for one that can never start anything. */
  apply(command: StartVerificationCommand): StartVerificationResult {
    const { verificationId, recheckReason, requestedAt, requestedBy } = command;
    const subject = subjectOf(command);
    const known = this.cases.get(verificationId);
    if (!known) {
      if (!subject) {
        throw new AggregatorException(
          AggregatorErrorCode.InvalidRequest,
          recheckReason
            ? `re-check of unknown verification ${verificationId} carries no members or no policy`
            : 'a new verification needs members and a policy',
        );
      }
      const created: Case = {
        id: verificationId,
        subject,
        requestedAt,
        requestedBy,
        currentRound: 0,
        reportVersion: 0,
        isNew: true,
        moved: false,
        rounds: new Set(),
        requestedAts: new Set(),
      };
      this.cases.set(verificationId, created);
      this.startRound(created, command, subject);
      return 'started';
    }
    if (!recheckReason) {
      if (!subject) throw new AggregatorException(AggregatorErrorCode.InvalidRequest, 'a new verification needs members and a policy');
      return 'duplicate';
    }
    // As the rounds' keys (verification, round) and (verification, requested_at) would refuse it.
    if (known.requestedAts.has(requestedAt.getTime()) || known.rounds.has(known.currentRound + 1)) return 'duplicate';
    known.subject = recheckSubjectOf(command, known.subject);
    known.moved = !known.isNew;
    this.startRound(known, command, known.subject);
    return 'recheck_started';
  }

  /** The verifications to insert, in id order (concurrent inserts of one id then queue, never deadlock): as the batch leaves them. */
  newVerifications(): Array<NewVerification & { currentRound: number }> {
    return [...this.cases.values()]
      .filter((c) => c.isNew)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((c) => ({ id: c.id, requestedAt: c.requestedAt, requestedBy: c.requestedBy, ...c.subject, currentRound: c.currentRound }));
  }

  /** The existing verifications the batch moved to a new round, as it leaves them. */
  roundStarts(): RoundStart[] {
    return [...this.cases.values()].filter((c) => c.moved).map((c) => ({ id: c.id, currentRound: c.currentRound, ...c.subject }));
  }

  private startRound(thisCase: Case, command: StartVerificationCommand, subject: VerificationSubject): void {
    const round = thisCase.currentRound + 1;
    thisCase.currentRound = round;
    thisCase.rounds.add(round);
    thisCase.requestedAts.add(command.requestedAt.getTime());
    const { verificationId, recheckReason, requestedAt, requestedBy } = command;
    this.rounds.push({ verificationId, round, recheckReason, requestedAt, requestedBy });
    this.started.push({ verificationId, round, subject, requestedBy, reportVersion: thisCase.reportVersion });
  }
}

/** The subject of a new verification, or null when the command lacks what one needs. */
function subjectOf(command: StartVerificationCommand): VerificationSubject | null {
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
function recheckSubjectOf(command: StartVerificationCommand, current: VerificationSubject): VerificationSubject {
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

function subjectOfRow(v: VerificationEntity): VerificationSubject {
  return {
    program: v.program,
    purpose: v.purpose,
    regionCode: v.regionCode,
    asOf: v.asOf,
    members: v.members,
    authorizations: v.authorizations,
    declared: v.declared,
    policy: v.policy,
    interactive: v.interactive,
  };
}
