import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import type { HouseholdReport, ReportChange } from '@verihub/domain';
import { AGGREGATOR_SETTINGS, type AggregatorSettings } from '../aggregator-options';
import type { SealedValue } from '../crypto/data-cipher';
import { ReportVersionEntity } from '../entities/report-version.entity';

export const reportContext = (verificationId: string, version: number): string => `report_versions.report:${verificationId}:${version}`;

export interface IssuedReport {
  verificationId: string;
  version: number;
  round: number;
  status: 'complete' | 'partial';
  report: HouseholdReport;
  changeReason: string;
  changes: ReportChange[] | null;
  createdAt: Date;
}

/**
 * Issued report versions: inserted once, never updated. A report names the members (identity numbers,
 * names): it is stored sealed (AES-256-GCM) and opened here.
 */
@Injectable()
export class ReportVersionRepository {
  constructor(@Inject(AGGREGATOR_SETTINGS) private readonly settings: AggregatorSettings) {}

  async insert(manager: EntityManager, report: Omit<IssuedReport, 'createdAt'>): Promise<void> {
    await this.insertAll(manager, [report]);
  }

  /** Inserts many versions in one statement. */
  async insertAll(manager: EntityManager, reports: ReadonlyArray<Omit<IssuedReport, 'createdAt'>>): Promise<void> {
    if (reports.length === 0) return;
    const { dataCipher } = this.settings;
    await manager.insert(
      ReportVersionEntity,
      reports.map((report) => ({
        ...report,
        report: dataCipher.seal(report.report, reportContext(report.verificationId, report.version)) as unknown as HouseholdReport,
      })),
    );
  }

  async find(manager: EntityManager, verificationId: string, version: number): Promise<IssuedReport | null> {
    if (version < 1) return null;
    const row = await manager.findOne(ReportVersionEntity, { where: { verificationId, version } });
    return row ? this.toIssued(row) : null;
  }

  async list(manager: EntityManager, verificationId: string): Promise<IssuedReport[]> {
    const rows = await manager.find(ReportVersionEntity, { where: { verificationId }, order: { version: 'ASC' } });
    return rows.map((row) => this.toIssued(row));
  }

  /** The given versions that exist, opened. */
  async findAll(manager: EntityManager, keys: ReadonlyArray<{ verificationId: string; version: number }>): Promise<IssuedReport[]> {
    const wanted = keys.filter((k) => k.version >= 1);
    if (wanted.length === 0) return [];
    const rows = await manager.find(ReportVersionEntity, { where: wanted.map(({ verificationId, version }) => ({ verificationId, version })) });
    return rows.map((row) => this.toIssued(row));
  }

  /** The rounds each of the given verifications has a version for (existsForRound, for many at once). */
  async roundsReported(manager: EntityManager, verificationIds: readonly string[]): Promise<Array<{ verificationId: string; round: number }>> {
    if (verificationIds.length === 0) return [];
    const rows = await manager.find(ReportVersionEntity, {
      where: { verificationId: In([...verificationIds]) },
      select: { verificationId: true, version: true, round: true },
    });
    return rows.map((r) => ({ verificationId: r.verificationId, round: r.round }));
  }

  async existsForRound(manager: EntityManager, verificationId: string, round: number): Promise<boolean> {
    return manager.exists(ReportVersionEntity, { where: { verificationId, round } });
  }

  private toIssued(row: ReportVersionEntity): IssuedReport {
    return {
      verificationId: row.verificationId,
      version: row.version,
      round: row.round,
      status: row.status,
      report: this.settings.dataCipher.open<HouseholdReport>(row.report as unknown as SealedValue, reportContext(row.verificationId, row.version)),
      changeReason: row.changeReason,
      changes: row.changes,
      createdAt: row.createdAt,
    };
  }
}
