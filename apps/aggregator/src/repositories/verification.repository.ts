import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager, In, LessThanOrEqual } from 'typeorm';
import { keyedIdentityHash, type Authorization, type Declaration, type HouseholdMember, type PolicyVersion } from '@verihub/domain';
import { AGGREGATOR_SETTINGS, type AggregatorSettings } from '../aggregator-options';
import type { SealedValue } from '../crypto/data-cipher';
import { ProviderRequestEntity } from '../entities/provider-request.entity';
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

/** A verification's columns an answer can change (written back by saveProgress). */
export interface VerificationChange {
  id: string;
  status: VerificationState;
  reportVersion: number;
  reportDueSince: Date | null;
}

export interface VerificationProgress {
  id: string;
  status: VerificationState;
  currentRound: number;
  reportVersion: number;
  /** false for batch checks: their messages travel on the batch lane. */
  interactive: boolean;
}

/** Where a verification's sealed columns are bound (the cipher's additional data). */
export const membersContext = (id: string): string => `verifications.members:${id}`;
export const authorizationsContext = (id: string): string => `verifications.authorizations:${id}`;

/**
 * Verifications and their rounds. The only code that reads or writes the household's personal data
 * (members, authorizations, declaration). Members and authorizations (identity numbers, names) are sealed
 * here on the way in and opened on the way out, with the members' keyed hashes stored beside them
 * (member_hashes) for lookups by person: callers see plaintext in memory only.
 * Every method runs in the caller's transaction.
 */
@Injectable()
export class VerificationRepository {
  constructor(@Inject(AGGREGATOR_SETTINGS) private readonly settings: AggregatorSettings) {}

  /** Inserts the verification in round 1; false when it already exists (a redelivered request). */
  async insertIfAbsent(manager: EntityManager, verification: NewVerification): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(VerificationEntity)
      .values({ ...verification, ...this.sealed(verification.id, verification), status: 'pending', currentRound: 1, reportVersion: 0 })
      .orIgnore()
      .returning(['id'])
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  /** Reads the verification and locks it (FOR UPDATE) until the transaction ends: its changes serialize. */
  async lock(manager: EntityManager, id: string): Promise<VerificationEntity | null> {
    return this.opened(await manager.findOne(VerificationEntity, { where: { id }, lock: { mode: 'pessimistic_write' } }));
  }

  /**
   * Locks the verifications the given provider requests belong to, in id order — every transaction that
   * locks more than one verification takes them in that order, so two of them never deadlock — and returns
   * them opened.
   */
  async lockForRequests(manager: EntityManager, requestIds: readonly string[]): Promise<VerificationEntity[]> {
    if (requestIds.length === 0) return [];
    const rows = await manager
      .createQueryBuilder(VerificationEntity, 'v')
      .where((qb) => {
        const owners = qb.subQuery().select('r.verification_id').from(ProviderRequestEntity, 'r').where('r.request_id IN (:...requestIds)');
        return `v.id IN ${owners.getQuery()}`;
      })
      .setParameter('requestIds', [...requestIds])
      .orderBy('v.id', 'ASC')
      .setLock('pessimistic_write')
      .getMany();
    return rows.map((row) => this.opened(row) as VerificationEntity);
  }

  /** As lock(), but null at once when another transaction holds it (FOR UPDATE SKIP LOCKED). */
  async tryLock(manager: EntityManager, id: string): Promise<VerificationEntity | null> {
    return this.opened(
      await manager.findOne(VerificationEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
      }),
    );
  }

  /** The ids of the verifications about a person (found by the keyed hash of the identity number), newest first. */
  idsAbout(manager: EntityManager, idNumber: string): Promise<string[]> {
    return this.idsWithMemberHash(manager, keyedIdentityHash(idNumber, this.settings.consent.identityHashKey));
  }

  /** As idsAbout, given the keyed hash (as an AuthorizationRevoked names the member). Uses the GIN index. */
  async idsWithMemberHash(manager: EntityManager, memberHash: string): Promise<string[]> {
    const rows = await manager
      .createQueryBuilder(VerificationEntity, 'v')
      .select('v.id', 'id')
      .where('v.member_hashes @> ARRAY[:hash]::text[]', { hash: memberHash })
      .orderBy('v.created_at', 'DESC')
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  /** Where a verification stands, without its personal data. */
  async stateOf(manager: EntityManager, id: string): Promise<VerificationProgress | null> {
    const row = await manager.findOne(VerificationEntity, {
      where: { id },
      select: { id: true, status: true, currentRound: true, reportVersion: true, interactive: true },
    });
    return row
      ? { id: row.id, status: row.status, currentRound: row.currentRound, reportVersion: row.reportVersion, interactive: row.interactive }
      : null;
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

  /** Every round of the given verifications. */
  roundsOf(manager: EntityManager, verificationIds: readonly string[]): Promise<VerificationRoundEntity[]> {
    if (verificationIds.length === 0) return Promise.resolve([]);
    return manager.find(VerificationRoundEntity, { where: { verificationId: In([...verificationIds]) } });
  }

  /**
   * Moves a locked verification to a new round about `subject` (a re-check may correct the household).
   * A version still due for late answers to the old round is not issued: the new round's report supersedes it.
   */
  async startRound(manager: EntityManager, id: string, round: number, subject: VerificationSubject): Promise<void> {
    await manager.update(VerificationEntity, { id }, { ...subject, ...this.sealed(id, subject), currentRound: round, status: 'pending', reportDueSince: null });
  }

  /** A version was issued: it includes every outcome recorded so far, so none is due any more. */
  async setIssued(manager: EntityManager, id: string, status: VerificationState, reportVersion: number): Promise<void> {
    await manager.update(VerificationEntity, { id }, { status, reportVersion, reportDueSince: null });
  }

  /** Writes the status, report version and due instant of locked verifications, in one statement. */
  async saveProgress(manager: EntityManager, changes: readonly VerificationChange[]): Promise<void> {
    if (changes.length === 0) return;
    const table = manager.getRepository(VerificationEntity).metadata.tablePath;
    await manager.query(
      `UPDATE ${table} AS v
          SET status = c.status, report_version = c.report_version, report_due_since = c.report_due_since, updated_at = CURRENT_TIMESTAMP
         FROM unnest($1::uuid[], $2::text[], $3::integer[], $4::timestamptz[]) AS c(id, status, report_version, report_due_since)
        WHERE v.id = c.id`,
      [
        changes.map((c) => c.id),
        changes.map((c) => c.status),
        changes.map((c) => c.reportVersion),
        changes.map((c) => c.reportDueSince?.toISOString() ?? null),
      ],
    );
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

  /** The sealed columns of a subject, as stored (typed as the entity's plaintext fields for TypeORM). */
  private sealed(id: string, subject: Pick<VerificationSubject, 'members' | 'authorizations'>) {
    const { dataCipher, consent } = this.settings;
    return {
      members: dataCipher.seal(subject.members, membersContext(id)) as unknown as HouseholdMember[],
      authorizations: dataCipher.seal(subject.authorizations, authorizationsContext(id)) as unknown as Authorization[],
      memberHashes: subject.members.map((m) => keyedIdentityHash(m.idNumber, consent.identityHashKey)),
    };
  }

  /** The row with its sealed columns opened (a wrong key or an altered row throws: never garbage). */
  private opened(row: VerificationEntity | null): VerificationEntity | null {
    if (!row) return null;
    const { dataCipher } = this.settings;
    row.members = dataCipher.open<HouseholdMember[]>(row.members as unknown as SealedValue, membersContext(row.id));
    row.authorizations = dataCipher.open<Authorization[]>(row.authorizations as unknown as SealedValue, authorizationsContext(row.id));
    return row;
  }
}
