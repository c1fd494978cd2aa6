import { Injectable } from '@nestjs/common';
import { type EntityManager, LessThanOrEqual } from 'typeorm';
import type { Authorization, Declaration, HouseholdMember, PolicyVersion } from '@verihub/domain';
import { VerificationRoundEntity } from '../entities/verification-round.entity';
import { VerificationEntity } from '../entities/verification.entity';
import type { VerificationState } from '../rules/verification-rules';

/** What a verification is about: the household and its declaration (personal data) and the policy. */
export interface VerificationSubject {
  program: string;
  purpose: string;
  regionCode: string;
  /** "YYYY-MM-DD" */
  asOf: string;
  members: HouseholdMember[];
  authorizations: Authorization[];
  declared: Declaration | null;
  policy: PolicyVersion;
  interactive: boolean;
}

export interface NewVerification extends VerificationSubject {
  id: string;
  requestedAt: Date;
  requestedBy: string;
}

export interface NewRound {
  verificationId: string;
  round: number;
  recheckReason: string | null;
  requestedAt: Date;
  requestedBy: string;
}

export interface VerificationProgress {
  id: string;
  status: VerificationState;
  currentRound: number;
  reportVersion: number;
}

/**
 * Verifications and their rounds. The only code that reads or writes the household's personal data
 * (members, authorizations, declaration): the encryption work changes this one class.
 * Every method runs in the caller's transaction.
 */
@Injectable()
export class VerificationRepository {
  /** Inserts the verification in round 1; false when it already exists (a redelivered request). */
  async insertIfAbsent(manager: EntityManager, verification: NewVerification): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(VerificationEntity)
      .values({ ...verification, status: 'pending', currentRound: 1, reportVersion: 0 })
      .orIgnore()
      .returning(['id'])
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  /** Reads the verification and locks it (FOR UPDATE) until the transaction ends: its changes serialize. */
  lock(manager: EntityManager, id: string): Promise<VerificationEntity | null> {
    return manager.findOne(VerificationEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** As lock(), but null at once when another transaction holds it (FOR UPDATE SKIP LOCKED). */
  tryLock(manager: EntityManager, id: string): Promise<VerificationEntity | null> {
    return manager.findOne(VerificationEntity, {
      where: { id },
      lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
    });
  }

  /** Where a verification stands, without its personal data. */
  async stateOf(manager: EntityManager, id: string): Promise<VerificationProgress | null> {
    const row = await manager.findOne(VerificationEntity, {
      where: { id },
      select: { id: true, status: true, currentRound: true, reportVersion: true },
    });
    return row ? { id: row.id, status: row.status, currentRound: row.currentRound, reportVersion: row.reportVersion } : null;
  }

  /** Adds a round; false when a round with the same request time exists (a redelivered re-check). */
  async addRound(manager: EntityManager, round: NewRound): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(VerificationRoundEntity)
      .values(round)
      .orIgnore()
      .returning(['round'])
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  findRound(manager: EntityManager, verificationId: string, round: number): Promise<VerificationRoundEntity | null> {
    return manager.findOne(VerificationRoundEntity, { where: { verificationId, round } });
  }

  /**
   * Moves a locked verification to a new round about `subject` (a re-check may correct the household).
   * A version still due for late answers to the old round is not issued: the new round's report supersedes it.
   */
  async startRound(manager: EntityManager, id: string, round: number, subject: VerificationSubject): Promise<void> {
    await manager.update(VerificationEntity, { id }, { ...subject, currentRound: round, status: 'pending', reportDueSince: null });
  }

  /** A version was issued: it includes every outcome recorded so far, so none is due any more. */
  async setIssued(manager: EntityManager, id: string, status: VerificationState, reportVersion: number): Promise<void> {
    await manager.update(VerificationEntity, { id }, { status, reportVersion, reportDueSince: null });
  }

  /** A new report version is due (late answers); the earliest instant is kept, so the window is not pushed back. */
  async markReportDue(manager: EntityManager, id: string, since: Date): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(VerificationEntity)
      .set({ reportDueSince: () => 'COALESCE("report_due_since", :since)' })
      .setParameter('since', since)
      .where('id = :id', { id })
      .execute();
  }

  async clearReportDue(manager: EntityManager, id: string): Promise<void> {
    await manager.update(VerificationEntity, { id }, { reportDueSince: null });
  }

  /** Verifications with a version due since `dueSince` or earlier, the longest waiting first. */
  async dueForReport(manager: EntityManager, dueSince: Date, limit: number): Promise<string[]> {
    const rows = await manager.find(VerificationEntity, {
      where: { reportDueSince: LessThanOrEqual(dueSince) },
      select: { id: true, reportDueSince: true },
      order: { reportDueSince: 'ASC' },
      take: limit,
    });
    return rows.map((r) => r.id);
  }
}
