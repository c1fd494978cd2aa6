import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HouseholdMember } from '@verihub/domain';
import { openFrom, SealedPlaces } from '../database/sealed-columns';
import type { VerificationStatus } from '../database/verification.entity';

export interface ReviewQueueRow {
  id: string;
  program: string;
  purpose: string;
  regionCode: string;
  members: HouseholdMember[];
  status: VerificationStatus;
  version: number;
  conclusion: string | null;
  /** The report's own issue time when it carries one, else when the gateway stored the version. */
  issuedAt: string;
  changeReason: string;
}

interface RawRow {
  id: string;
  program: string;
  purpose: string;
  region_code: string;
  members: HouseholdMember[];
  status: VerificationStatus;
  version: number;
  conclusion: string | null;
  issued_at: string | null;
  stored_at: Date;
  change_reason: string;
}

/**
 * Reads the verification read model for the review queue: verifications whose newest report version is
 * issued (status complete or partial) and not signed. Reads only; writes stay in VerificationRepository.
 */
@Injectable()
export class ReviewQueueRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Oldest issued first (the longest waiting), then by id for a stable order across pages. */
  async awaitingSignature(regionCode: string, offset: number, limit: number): Promise<{ rows: ReviewQueueRow[]; total: number }> {
    const from = `FROM gateway.verifications v
      JOIN gateway.report_versions r ON r.verification_id = v.id AND r.version = v.report_version
      WHERE v.region_code = $1 AND v.report_version > 0 AND v.status IN ('complete', 'partial')
        AND NOT EXISTS (SELECT 1 FROM gateway.report_signatures s WHERE s.verification_id = v.id AND s.version = v.report_version)`;
    const [{ total }]: Array<{ total: string }> = await this.dataSource.query(`SELECT count(*) AS total ${from}`, [regionCode]);
    const raw: RawRow[] = await this.dataSource.query(
      `SELECT v.id, v.program, v.purpose, v.region_code, v.members, v.status, v.report_version AS version,
              r.conclusion, r.issued_at, r.created_at AS stored_at,
              r.change_reason
       ${from}
       ORDER BY r.created_at ASC, v.id ASC OFFSET $2 LIMIT $3`,
      [regionCode, offset, limit],
    );
    return {
      total: Number(total),
      rows: raw.map((row) => ({
        id: row.id,
        program: row.program,
        purpose: row.purpose,
        regionCode: row.region_code,
        members: openFrom<HouseholdMember[]>(SealedPlaces.members, row.members),
        status: row.status,
        version: row.version,
        conclusion: row.conclusion,
        issuedAt: row.issued_at ?? row.stored_at.toISOString(),
        changeReason: row.change_reason,
      })),
    };
  }
}
