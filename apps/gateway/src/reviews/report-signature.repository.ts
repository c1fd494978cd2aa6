import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ReportReview } from './report-review';
import { ReportSignatureEntity } from './report-signature.entity';

export interface NewReportSignature {
  verificationId: string;
  version: number;
  signedBy: string;
  signedAt: Date;
  comment: string | null;
}

export function toReportReview(row: ReportSignatureEntity): ReportReview {
  return { signedBy: row.signedBy, signedAt: row.signedAt.toISOString(), comment: row.comment };
}

/** The only place that reads or writes gateway.report_signatures (insert only: rows are never changed). */
@Injectable()
export class ReportSignatureRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The signature of one report version, or null while it is unsigned (what the report and its PDF show). */
  async findSignature(verificationId: string, version: number, manager: EntityManager = this.dataSource.manager): Promise<ReportReview | null> {
    const row = await this.find(manager, verificationId, version);
    return row ? toReportReview(row) : null;
  }

  find(manager: EntityManager, verificationId: string, version: number): Promise<ReportSignatureEntity | null> {
    return manager.getRepository(ReportSignatureEntity).findOneBy({ verificationId, version });
  }

  /** Stores the signature unless the version is already signed; true when this call signed it. */
  async insertOnce(manager: EntityManager, signature: NewReportSignature): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO gateway.report_signatures (verification_id, version, signed_by, signed_at, comment)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (verification_id, version) DO NOTHING RETURNING version`,
      [signature.verificationId, signature.version, signature.signedBy, signature.signedAt, signature.comment],
    );
    return rows.length > 0;
  }
}
