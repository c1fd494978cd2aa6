import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ReportChange, ReportVersionEntity } from '../database/report-version.entity';
import { SealedPlaces, sealFor } from '../database/sealed-columns';
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

  async updateState(manager: EntityManager, id: string, update: StateUpdate): Promise<void> {
    await manager.update(VerificationEntity, { id }, update);
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

  /** The newest stored version below `version`, to describe what changed. */
  findPreviousReportVersion(manager: EntityManager, verificationId: string, version: number): Promise<ReportVersionEntity | null> {
    return manager
      .getRepository(ReportVersionEntity)
      .createQueryBuilder('r')
      .where('r.verification_id = :verificationId AND r.version < :version', { verificationId, version })
      .orderBy('r.version', 'DESC')
      .limit(1)
      .getOne();
  }

  listReportVersions(verificationId: string): Promise<ReportVersionEntity[]> {
    return this.dataSource.getRepository(ReportVersionEntity).find({
      select: { verificationId: true, version: true, changeReason: true, changes: true, createdAt: true },
      where: { verificationId },
      order: { version: 'ASC' },
    });
  }

  /** Stores a report version once: a repeated delivery of the same version changes nothing. */
  async insertReportVersion(manager: EntityManager, version: NewReportVersion): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO gateway.report_versions (verification_id, version, report, change_reason, changes, conclusion, issued_at)
       VALUES ($1, $2, $3::jsonb, $4, $5::jsonb, $6, $7)
       ON CONFLICT (verification_id, version) DO NOTHING RETURNING version`,
      [
        version.verificationId,
        version.version,
        JSON.stringify(sealFor(SealedPlaces.report, version.report)),
        version.changeReason,
        version.changes ? JSON.stringify(sealFor(SealedPlaces.changes, version.changes)) : null,
        typeof version.report.conclusion === 'string' ? version.report.conclusion : null,
        typeof version.report.issuedAt === 'string' ? version.report.issuedAt : null,
      ],
    );
    return rows.length > 0;
  }

}
