import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ReportChange, ReportVersionEntity } from '../database/report-version.entity';
import { SealedPlaces, openFrom, sealFor } from '../database/sealed-columns';
import { SourceView, VerificationEntity, VerificationStatus } from '../database/verification.entity';
import { reviewStateSql, type ReviewState } from '../reviews/review-state';

export interface VerificationFilter {
  /** Only this region (callers confined to a region always pass theirs). */
  regionCode?: string;
  status?: VerificationStatus;
  program?: string;
  offset: number;
  limit: number;
}

export interface VerificationListRow {
  verification: VerificationEntity;
  /** `conclusion` of the newest report, when one is issued. */
  conclusion: string | null;
  reviewState: ReviewState;
}

export interface StateUpdate {
  status: VerificationStatus;
  sources: SourceView[];
  reportVersion: number;
  stateUpdatedAt: Date;
  updatedAt: Date;
}

export interface NewReportVersion {
  verificationId: string;
  version: number;
  report: Record<string, unknown>;
  changeReason: string;
  changes: ReportChange[] | null;
}

/**
 * The only place that writes gateway.verifications and gateway.report_versions (report versions are
 * inserted once; a trigger refuses any UPDATE or DELETE of them). The review queue reads them too.
 */
@Injectable()
export class VerificationRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, verification: VerificationEntity): Promise<void> {
    await manager.insert(VerificationEntity, verification);
  }

  /** Many new verifications in one statement. */
  async insertMany(manager: EntityManager, verifications: VerificationEntity[]): Promise<void> {
    if (verifications.length > 0) await manager.insert(VerificationEntity, verifications);
  }

  findById(id: string): Promise<VerificationEntity | null> {
    return this.dataSource.getRepository(VerificationEntity).findOneBy({ id });
  }

  /** Reads the row and locks it until the transaction ends (updates of one verification are serialized). */
  findForUpdate(manager: EntityManager, id: string): Promise<VerificationEntity | null> {
    return manager.getRepository(VerificationEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * A re-check was requested (an objection): the verification is pending until the aggregator's next
   * report version arrives. The aggregator's own updates (sources, versions) follow through updateState.
   */
  async markRecheckPending(manager: EntityManager, id: string, now: Date): Promise<void> {
    await manager.update(VerificationEntity, { id }, { status: 'pending', updatedAt: now });
  }

  /** Where the verification's newest report stands in review (reviews/review-state.ts). */
  async reviewStateOf(id: string): Promise<ReviewState> {
    const rows: Array<{ state: ReviewState }> = await this.dataSource.query(
      `SELECT ${reviewStateSql('v')} AS state FROM gateway.verifications v WHERE v.id = $1`,
      [id],
    );
    return rows[0]?.state ?? 'unsigned';
  }

  /** Newest first. */
  async list(filter: VerificationFilter): Promise<{ rows: VerificationListRow[]; total: number }> {
    const query = this.dataSource
      .getRepository(VerificationEntity)
      .createQueryBuilder('v')
      .leftJoin(ReportVersionEntity, 'r', 'r.verification_id = v.id AND r.version = v.report_version')
      .addSelect('r.conclusion', 'conclusion')
      .addSelect(reviewStateSql('v'), 'review_state');
    if (filter.regionCode) query.andWhere('v.region_code = :regionCode', { regionCode: filter.regionCode });
    if (filter.status) query.andWhere('v.status = :status', { status: filter.status });
    if (filter.program) query.andWhere('v.program = :program', { program: filter.program });
    const total = await query.clone().getCount();
    const { entities, raw } = await query
      .orderBy('v.created_at', 'DESC')
      .addOrderBy('v.id', 'DESC')
      .offset(filter.offset)
      .limit(filter.limit)
      .getRawAndEntities<{ v_id: string; conclusion: string | null; review_state: ReviewState }>();
    const extras = new Map(raw.map((r) => [r.v_id, r]));
    return {
      rows: entities.map((v) => ({
        verification: v,
        conclusion: extras.get(v.id)?.conclusion ?? null,
        reviewState: extras.get(v.id)?.review_state ?? 'unsigned',
      })),
      total,
    };
  }

  findReportVersion(verificationId: string, version: number, manager: EntityManager = this.dataSource.manager): Promise<ReportVersionEntity | null> {
    return manager.getRepository(ReportVersionEntity).findOneBy({ verificationId, version });
  }

  listReportVersions(verificationId: string): Promise<ReportVersionEntity[]> {
    return this.dataSource.getRepository(ReportVersionEntity).find({
      select: { verificationId: true, version: true, changeReason: true, changes: true, createdAt: true },
      where: { verificationId },
      order: { version: 'ASC' },
    });
  }

  // Updates from the aggregator, many at once (RecordVerificationUpdateUseCase.executeBatch).

  /**
   * Locks the given verifications (FOR UPDATE) in id order — two transactions locking several of them take
   * them in the same order, so they never deadlock — and reads where each stands; without the personal data
   * (nothing to open). A verification that does not exist is absent from the result.
   */
  async lockUpdateStates(manager: EntityManager, ids: readonly string[]): Promise<LockedUpdateState[]> {
    if (ids.length === 0) return [];
    const rows: Array<{ id: string; report_version: number; state_updated_at: Date | null }> = await manager.query(
      `SELECT id, report_version, state_updated_at FROM gateway.verifications WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [[...ids]],
    );
    return rows.map((r) => ({ id: r.id, reportVersion: r.report_version, stateUpdatedAt: r.state_updated_at }));
  }

  /**
   * For each given version of a verification's report: whether it is stored and, when it is not, the newest
   * stored version below it (opened: the new version's changes are computed against it). One statement.
   */
  async findReportVersionsWithPrevious(manager: EntityManager, keys: readonly ReportVersionKey[]): Promise<ReportVersionContext[]> {
    if (keys.length === 0) return [];
    const rows: Array<{ verification_id: string; version: number; stored: boolean; previous_version: number | null; previous_report: unknown }> =
      await manager.query(
        `SELECT k.verification_id, k.version, s.version IS NOT NULL AS stored, p.version AS previous_version, p.report AS previous_report
           FROM unnest($1::uuid[], $2::int[]) AS k(verification_id, version)
           LEFT JOIN gateway.report_versions s ON s.verification_id = k.verification_id AND s.version = k.version
           LEFT JOIN LATERAL (
             SELECT r.version, r.report FROM gateway.report_versions r
              WHERE s.version IS NULL AND r.verification_id = k.verification_id AND r.version < k.version
              ORDER BY r.version DESC LIMIT 1
           ) p ON true`,
        [keys.map((k) => k.verificationId), keys.map((k) => k.version)],
      );
    return rows.map((r) => ({
      verificationId: r.verification_id,
      version: r.version,
      stored: r.stored,
      previous:
        r.previous_version === null ? null : { version: r.previous_version, report: openFrom<Record<string, unknown>>(SealedPlaces.report, r.previous_report) },
    }));
  }

  /** Stores report versions in one statement, each once: a version already stored is left as it is. */
  async insertReportVersions(manager: EntityManager, versions: readonly NewReportVersion[]): Promise<void> {
    if (versions.length === 0) return;
    const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
    await manager.query(
      `INSERT INTO gateway.report_versions (verification_id, version, report, change_reason, changes, conclusion, issued_at)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::jsonb[], $4::text[], $5::jsonb[], $6::text[], $7::text[])
       ON CONFLICT (verification_id, version) DO NOTHING`,
      [
        versions.map((v) => v.verificationId),
        versions.map((v) => v.version),
        versions.map((v) => JSON.stringify(sealFor(SealedPlaces.report, v.report))),
        versions.map((v) => v.changeReason),
        versions.map((v) => (v.changes ? JSON.stringify(sealFor(SealedPlaces.changes, v.changes)) : null)),
        versions.map((v) => text(v.report.conclusion)),
        versions.map((v) => text(v.report.issuedAt)),
      ],
    );
  }

  /** Writes the state of several locked verifications in one statement (as updateState does for one). */
  async updateStates(manager: EntityManager, updates: ReadonlyArray<StateUpdate & { id: string }>): Promise<void> {
    if (updates.length === 0) return;
    await manager.query(
      `UPDATE gateway.verifications AS v
          SET status = c.status, sources = c.sources, report_version = c.report_version,
              state_updated_at = c.state_updated_at, updated_at = c.updated_at
         FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::int[], $5::timestamptz[], $6::timestamptz[])
              AS c(id, status, sources, report_version, state_updated_at, updated_at)
        WHERE v.id = c.id`,
      [
        updates.map((u) => u.id),
        updates.map((u) => u.status),
        updates.map((u) => JSON.stringify(u.sources)),
        updates.map((u) => u.reportVersion),
        updates.map((u) => u.stateUpdatedAt.toISOString()),
        updates.map((u) => u.updatedAt.toISOString()),
      ],
    );
  }
}

/** Where a verification stands for the aggregator's updates (lockUpdateStates). */
export interface LockedUpdateState {
  id: string;
  reportVersion: number;
  stateUpdatedAt: Date | null;
}

export interface ReportVersionKey {
  verificationId: string;
  version: number;
}

/** A report version an update carries, as the table has it (findReportVersionsWithPrevious). */
export interface ReportVersionContext extends ReportVersionKey {
  stored: boolean;
  /** The newest stored version below it, when it is not stored itself. */
  previous: { version: number; report: Record<string, unknown> } | null;
}
