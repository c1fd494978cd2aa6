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

/** An existing verification moved to a re-check round, about `subject` as the re-check leaves it. */
export interface RoundStart extends VerificationSubject {
  id: string;
  currentRound: number;
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

  /**
   * Inserts new verifications (as a batch of starts leaves them: pending, report version 0) in one statement,
   * in the given order; returns the ids inserted — one that exists already is left as it is.
   */
  async insertAll(manager: EntityManager, verifications: ReadonlyArray<NewVerification & { currentRound: number }>): Promise<string[]> {
    if (verifications.length === 0) return [];
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(VerificationEntity)
      .values(verifications.map((v) => ({ ...v, ...this.sealed(v.id, v), status: 'pending' as const, reportVersion: 0 })))
      .orIgnore()
      .returning(['id'])
      .execute();
    return (result.raw as Array<{ id: string }>).map((r) => r.id);
  }

  /** Reads the verification and locks it (FOR UPDATE) until the transaction ends: its changes serialize. */
  async lock(manager: EntityManager, id: string): Promise<VerificationEntity | null> {
    return this.opened(await manager.findOne(VerificationEntity, { where: { id }, lock: { mode: 'pessimistic_write' } }));
  }

  /** Those of the given verifications that exist, locked (FOR UPDATE) in id order as lockForRequests takes them, opened. */
  async lockAll(manager: EntityManager, ids: readonly string[]): Promise<VerificationEntity[]> {
    if (ids.length === 0) return [];
    const rows = await manager
      .createQueryBuilder(VerificationEntity, 'v')
      .where('v.id IN (:...ids)', { ids: [...ids] })
      .orderBy('v.id', 'ASC')
      .setLock('pessimistic_write')
      .getMany();
    return rows.map((row) => this.opened(row) as VerificationEntity);
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

  /** Adds rounds, in one statement. */
  async addRounds(manager: EntityManager, rounds: readonly NewRound[]): Promise<void> {
    if (rounds.length === 0) return;
    await manager.insert(VerificationRoundEntity, [...rounds]);
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
   * Moves locked verifications to a new round about their subject (a re-check may correct the household), in
   * one statement. A version still due for late answers to the old round is not issued: the new round's report
   * supersedes it.
   */
  async startRounds(manager: EntityManager, starts: readonly RoundStart[]): Promise<void> {
    if (starts.length === 0) return;
    const table = manager.getRepository(VerificationEntity).metadata.tablePath;
    const rows = starts.map((s) => {
      const sealed = this.sealed(s.id, s);
      return {
        id: s.id,
        program: s.program,
        purpose: s.purpose,
        region_code: s.regionCode,
        as_of: s.asOf,
        members: sealed.members,
        authorizations: sealed.authorizations,
        member_hashes: sealed.memberHashes,
        declared: s.declared,
        policy: s.policy,
        interactive: s.interactive,
        current_round: s.currentRound,
      };
    });
    await manager.query(
      `UPDATE ${table} AS v
          SET program = s.program, purpose = s.purpose, region_code = s.region_code, as_of = s.as_of, members = s.members,
              authorizations = s.authorizations, member_hashes = s.member_hashes, declared = s.declared, policy = s.policy,
              interactive = s.interactive, current_round = s.current_round, status = 'pending', report_due_since = NULL,
              updated_at = CURRENT_TIMESTAMP
         FROM jsonb_to_recordset($1::jsonb) AS s(id uuid, program text, purpose text, region_code text, as_of date, members jsonb,
              authorizations jsonb, member_hashes text[], declared jsonb, policy jsonb, interactive boolean, current_round integer)
        WHERE v.id = s.id`,
      [JSON.stringify(rows)],
    );
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
