import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { keyedIdentityHash, type Authorization, type DepartmentRecord, type HouseholdMember, type HouseholdReport } from '@verihub/domain';
import { AGGREGATOR_SETTINGS, type AggregatorSettings } from '../aggregator-options';
import { DataDecryptionError, type SealedValue } from '../crypto/data-cipher';
import { notFoundContext, recordsContext } from '../repositories/provider-answer.repository';
import { reportContext } from '../repositories/report-version.repository';
import { authorizationsContext, membersContext } from '../repositories/verification.repository';

/** What each data_keys row seals: opening it proves the configured key is the one that sealed the data. */
const CHECK_PLAINTEXT = 'verihub aggregator data key check';
const checkContext = (kid: string): string => `data_keys.check_value:${kid}`;
const BATCH = 200;

/**
 * Runs before the aggregator consumes anything (module init), so a wrong VERIHUB_DATA_ENCRYPTION_KEY stops
 * the start with a message naming key ids, instead of failing (or worse) on the first verification read:
 * 1. every data key that has sealed data must be configured and must open its known value (data_keys) and
 *    the newest sealed verification; a retired key that no longer seals anything is forgotten;
 * 2. the current key is registered with its known value;
 * 3. rows written before encryption at rest (plaintext jsonb) are sealed, and their member hashes filled.
 */
@Injectable()
export class DataKeyCheck implements OnModuleInit {
  private readonly logger = new Logger(DataKeyCheck.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(AGGREGATOR_SETTINGS) private readonly settings: AggregatorSettings,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.checkKeys();
    await this.sealPlaintextRows();
  }

  private get cipher() {
    return this.settings.dataCipher;
  }

  private async checkKeys(): Promise<void> {
    const manager = this.dataSource.manager;
    const known = (await manager.query(`SELECT kid, check_value FROM aggregator.data_keys ORDER BY created_at`)) as Array<{
      kid: string;
      check_value: SealedValue;
    }>;
    for (const { kid, check_value } of known) {
      if (this.cipher.hasKey(kid)) {
        if (this.openOrFail(check_value, checkContext(kid)) !== CHECK_PLAINTEXT) {
          throw new Error(`data key check failed: the known value sealed under key ${kid} does not match`);
        }
      } else if (await this.sealsAnything(manager, kid)) {
        throw new Error(
          `VERIHUB_DATA_ENCRYPTION_KEY is wrong: personal data is encrypted under data key ${kid}, which is not configured ` +
            `(configured: ${this.cipher.currentKeyId}). Set the key that sealed it (or list it in VERIHUB_DATA_ENCRYPTION_PREVIOUS_KEYS after a rotation).`,
        );
      } else {
        await manager.query(`DELETE FROM aggregator.data_keys WHERE kid = $1`, [kid]);
        this.logger.log(`data key ${kid} seals nothing any more: forgotten`);
      }
    }
    const [newest] = (await manager.query(
      `SELECT id, members FROM aggregator.verifications WHERE jsonb_typeof(members) = 'object' ORDER BY created_at DESC LIMIT 1`,
    )) as Array<{ id: string; members: SealedValue }>;
    if (newest) this.openOrFail(newest.members, membersContext(newest.id));
    await manager.query(`INSERT INTO aggregator.data_keys (kid, check_value) VALUES ($1, $2) ON CONFLICT (kid) DO NOTHING`, [
      this.cipher.currentKeyId,
      JSON.stringify(this.cipher.seal(CHECK_PLAINTEXT, checkContext(this.cipher.currentKeyId))),
    ]);
  }

  private openOrFail<T>(sealed: SealedValue, context: string): T {
    try {
      return this.cipher.open<T>(sealed, context);
    } catch (err) {
      if (err instanceof DataDecryptionError) throw new Error(`VERIHUB_DATA_ENCRYPTION_KEY cannot open the stored personal data: ${err.message}`);
      throw err;
    }
  }

  private async sealsAnything(manager: EntityManager, kid: string): Promise<boolean> {
    const [row] = (await manager.query(
      `SELECT EXISTS (SELECT 1 FROM aggregator.verifications WHERE members->>'kid' = $1 OR authorizations->>'kid' = $1)
           OR EXISTS (SELECT 1 FROM aggregator.provider_answers WHERE records->>'kid' = $1 OR not_found->>'kid' = $1)
           OR EXISTS (SELECT 1 FROM aggregator.report_versions WHERE report->>'kid' = $1) AS used`,
      [kid],
    )) as Array<{ used: boolean }>;
    return row.used;
  }

  /** Seals what was stored in plaintext before this version; each batch in its own transaction. */
  private async sealPlaintextRows(): Promise<void> {
    let sealed = 0;
    for (;;) {
      const n = await this.dataSource.transaction(async (manager) => {
        const rows = (await manager.query(
          `SELECT id, members, authorizations FROM aggregator.verifications
            WHERE jsonb_typeof(members) = 'array' LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        )) as Array<{ id: string; members: HouseholdMember[]; authorizations: Authorization[] }>;
        for (const r of rows) {
          await manager.query(`UPDATE aggregator.verifications SET members = $2, authorizations = $3, member_hashes = $4 WHERE id = $1`, [
            r.id,
            JSON.stringify(this.cipher.seal(r.members, membersContext(r.id))),
            JSON.stringify(this.cipher.seal(r.authorizations, authorizationsContext(r.id))),
            r.members.map((m) => keyedIdentityHash(m.idNumber, this.settings.consent.identityHashKey)),
          ]);
        }
        const answers = (await manager.query(
          `SELECT request_id, records, not_found FROM aggregator.provider_answers
            WHERE jsonb_typeof(records) = 'array' LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        )) as Array<{ request_id: string; records: DepartmentRecord[]; not_found: string[] }>;
        for (const a of answers) {
          await manager.query(`UPDATE aggregator.provider_answers SET records = $2, not_found = $3 WHERE request_id = $1`, [
            a.request_id,
            JSON.stringify(this.cipher.seal(a.records, recordsContext(a.request_id))),
            JSON.stringify(this.cipher.seal(a.not_found, notFoundContext(a.request_id))),
          ]);
        }
        const reports = (await manager.query(
          `SELECT verification_id, version, report FROM aggregator.report_versions
            WHERE NOT (report ? 'ct' AND report ? 'kid') LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        )) as Array<{ verification_id: string; version: number; report: HouseholdReport }>;
        for (const r of reports) {
          await manager.query(`UPDATE aggregator.report_versions SET report = $3 WHERE verification_id = $1 AND version = $2`, [
            r.verification_id,
            r.version,
            JSON.stringify(this.cipher.seal(r.report, reportContext(r.verification_id, r.version))),
          ]);
        }
        return rows.length + answers.length + reports.length;
      });
      sealed += n;
      if (n === 0) break;
    }
    if (sealed > 0) this.logger.log(`sealed ${sealed} row(s) stored before encryption at rest`);
  }
}
