import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ObjectionEntity } from './objection.entity';
import { answeringVersionSql } from './review-state';

export interface ObjectionRecord {
  objection: ObjectionEntity;
  /** The report version the objection's re-check produced; null while it is being re-checked. */
  answeredByVersion: number | null;
}

interface ObjectionRow {
  id: string;
  verification_id: string;
  version: number;
  reason: string;
  raised_by: string | null;
  received_at: Date;
  report_received_at: Date;
  recorded_by: string;
  recorded_at: Date;
  answered_by_version: number | null;
}

function toRecord(row: ObjectionRow): ObjectionRecord {
  return {
    objection: {
      id: row.id,
      verificationId: row.verification_id,
      version: row.version,
      reason: row.reason,
      raisedBy: row.raised_by,
      receivedAt: row.received_at,
      reportReceivedAt: row.report_received_at,
      recordedBy: row.recorded_by,
      recordedAt: row.recorded_at,
    },
    answeredByVersion: row.answered_by_version,
  };
}

const SELECT_WITH_ANSWER = `SELECT o.*, ${answeringVersionSql('o')} AS answered_by_version FROM gateway.objections o`;

/** The only place that reads or writes gateway.objections (insert only: rows are never changed). */
@Injectable()
export class ObjectionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, o: ObjectionEntity): Promise<void> {
    await manager.query(
      `INSERT INTO gateway.objections
         (id, verification_id, version, reason, raised_by, received_at, report_received_at, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [o.id, o.verificationId, o.version, o.reason, o.raisedBy, o.receivedAt, o.reportReceivedAt, o.recordedBy, o.recordedAt],
    );
  }

  /** The verification's objections, oldest first, each with the version that answered it. */
  async listFor(verificationId: string): Promise<ObjectionRecord[]> {
    const rows: ObjectionRow[] = await this.dataSource.query(
      `${SELECT_WITH_ANSWER} WHERE o.verification_id = $1 ORDER BY o.recorded_at, o.id`,
      [verificationId],
    );
    return rows.map(toRecord);
  }

  /** An objection of the verification whose re-check has not produced its report version yet. */
  async findOpen(manager: EntityManager, verificationId: string): Promise<ObjectionRecord | null> {
    const rows: ObjectionRow[] = await manager.query(
      `SELECT * FROM (${SELECT_WITH_ANSWER} WHERE o.verification_id = $1) x
       WHERE x.answered_by_version IS NULL ORDER BY x.recorded_at LIMIT 1`,
      [verificationId],
    );
    return rows.length > 0 ? toRecord(rows[0]) : null;
  }
}
