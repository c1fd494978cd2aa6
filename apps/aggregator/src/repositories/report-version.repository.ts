import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { HouseholdReport, ReportChange } from '@verihub/domain';
import { ReportVersionEntity } from '../entities/report-version.entity';

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

/** Issued report versions: inserted once, never updated. */
@Injectable()
export class ReportVersionRepository {
  async insert(manager: EntityManager, report: Omit<IssuedReport, 'createdAt'>): Promise<void> {
    await manager.insert(ReportVersionEntity, report);
  }

  async find(manager: EntityManager, verificationId: string, version: number): Promise<IssuedReport | null> {
    if (version < 1) return null;
    const row = await manager.findOne(ReportVersionEntity, { where: { verificationId, version } });
    return row ? toIssued(row) : null;
  }

  async list(manager: EntityManager, verificationId: string): Promise<IssuedReport[]> {
    const rows = await manager.find(ReportVersionEntity, { where: { verificationId }, order: { version: 'ASC' } });
    return rows.map(toIssued);
  }

  async existsForRound(manager: EntityManager, verificationId: string, round: number): Promise<boolean> {
    return manager.exists(ReportVersionEntity, { where: { verificationId, round } });
  }
}

function toIssued(row: ReportVersionEntity): IssuedReport {
  return {
    verificationId: row.verificationId,
    version: row.version,
    round: row.round,
    status: row.status,
    report: row.report,
    changeReason: row.changeReason,
    changes: row.changes,
    createdAt: row.createdAt,
  };
}
