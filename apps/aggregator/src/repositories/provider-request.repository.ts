import { Injectable } from '@nestjs/common';
import { type EntityManager, In, LessThanOrEqual } from 'typeorm';
import { ProviderRequestEntity } from '../entities/provider-request.entity';
import type { ProviderRequestStatus } from '../rules/verification-rules';

export interface NewProviderRequest {
  requestId: string;
  verificationId: string;
  round: number;
  provider: string;
  deadline: Date;
  requestedAt: Date;
}

export interface RequestOutcome {
  status: ProviderRequestStatus;
  respondedAt: Date;
  late: boolean;
  recordCount: number;
  reason: string | null;
}

/** The requests sent to providers and their status. No personal data here (see ProviderAnswerRepository). */
@Injectable()
export class ProviderRequestRepository {
  async insertPending(manager: EntityManager, requests: NewProviderRequest[]): Promise<void> {
    if (requests.length === 0) return;
    await manager.insert(
      ProviderRequestEntity,
      requests.map((r) => ({ ...r, status: 'pending' as const, late: false, recordCount: 0, reason: null, respondedAt: null })),
    );
  }

  findById(manager: EntityManager, requestId: string): Promise<ProviderRequestEntity | null> {
    return manager.findOne(ProviderRequestEntity, { where: { requestId } });
  }

  /** The round's requests in a stable order (providers as registered: the insertion order is not kept, so by provider). */
  forRound(manager: EntityManager, verificationId: string, round: number): Promise<ProviderRequestEntity[]> {
    return manager.find(ProviderRequestEntity, { where: { verificationId, round }, order: { provider: 'ASC' } });
  }

  /** Every request of the given verifications (all rounds), by verification, round and provider (as forRound orders them). */
  ofVerifications(manager: EntityManager, verificationIds: readonly string[]): Promise<ProviderRequestEntity[]> {
    if (verificationIds.length === 0) return Promise.resolve([]);
    return manager.find(ProviderRequestEntity, {
      where: { verificationId: In([...verificationIds]) },
      order: { verificationId: 'ASC', round: 'ASC', provider: 'ASC' },
    });
  }

  /** Records the outcomes of many requests (their final state), in one statement. */
  async recordOutcomes(manager: EntityManager, outcomes: ReadonlyArray<RequestOutcome & { requestId: string }>): Promise<void> {
    if (outcomes.length === 0) return;
    const table = manager.getRepository(ProviderRequestEntity).metadata.tablePath;
    await manager.query(
      `UPDATE ${table} AS r
          SET status = o.status, responded_at = o.responded_at, late = o.late, record_count = o.record_count, reason = o.reason
         FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::boolean[], $5::integer[], $6::text[])
           AS o(request_id, status, responded_at, late, record_count, reason)
        WHERE r.request_id = o.request_id`,
      [
        outcomes.map((o) => o.requestId),
        outcomes.map((o) => o.status),
        outcomes.map((o) => o.respondedAt.toISOString()),
        outcomes.map((o) => o.late),
        outcomes.map((o) => o.recordCount),
        outcomes.map((o) => o.reason),
      ],
    );
  }

  /** Verifications with a pending request whose deadline has passed, oldest deadline first. */
  async overdueVerificationIds(manager: EntityManager, now: Date, limit: number): Promise<string[]> {
    const rows = await manager
      .createQueryBuilder(ProviderRequestEntity, 'r')
      .select('r.verification_id', 'verification_id')
      .addSelect('min(r.deadline)', 'first_deadline')
      .where(`r.status = 'pending'`)
      .andWhere('r.deadline <= :now', { now })
      .groupBy('r.verification_id')
      .orderBy('first_deadline', 'ASC')
      .limit(limit)
      .getRawMany<{ verification_id: string }>();
    return rows.map((r) => r.verification_id);
  }

  /** Those of `verificationIds` that still have a pending request (in any round). */
  async verificationIdsWithPending(manager: EntityManager, verificationIds: readonly string[]): Promise<string[]> {
    if (verificationIds.length === 0) return [];
    const rows = await manager
      .createQueryBuilder(ProviderRequestEntity, 'r')
      .select('DISTINCT r.verification_id', 'verification_id')
      .where(`r.status = 'pending'`)
      .andWhere('r.verification_id IN (:...ids)', { ids: [...verificationIds] })
      .getRawMany<{ verification_id: string }>();
    return rows.map((r) => r.verification_id);
  }

  /** Marks every pending request of the verification `not_queried` with `reason`; returns them (as they were). */
  async stopPending(manager: EntityManager, verificationId: string, reason: string): Promise<ProviderRequestEntity[]> {
    const pending = await manager.find(ProviderRequestEntity, { where: { verificationId, status: 'pending' } });
    if (pending.length > 0) {
      await manager.update(
        ProviderRequestEntity,
        { requestId: In(pending.map((r) => r.requestId)), status: 'pending' },
        { status: 'not_queried', reason },
      );
    }
    return pending;
  }

  /** Marks the verification's overdue pending requests `timeout`; returns them (as they were). */
  async timeOutOverdue(manager: EntityManager, verificationId: string, now: Date): Promise<ProviderRequestEntity[]> {
    const overdue = await manager.find(ProviderRequestEntity, {
      where: { verificationId, status: 'pending', deadline: LessThanOrEqual(now) },
    });
    if (overdue.length > 0) {
      await manager.update(
        ProviderRequestEntity,
        overdue.map((r) => r.requestId),
        { status: 'timeout' },
      );
    }
    return overdue;
  }
}
