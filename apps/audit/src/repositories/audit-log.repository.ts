/**
 * The only place with SQL on audit.entries. Appends are serialized by a transaction-scoped advisory lock,
 * so the chain stays linear whatever number of consumers (partitions, instances) append at once; reads
 * never lock.
 */
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type ChainedAuditEntry, GENESIS_HASH, chainEntry } from '@verihub/domain';
import { AUDIT_ENTRY_COLUMNS, type AuditEntryRow, auditEntryOf } from '@verihub/persistence';
import type { AuditRecord } from '../messages/audit-event';

/** The advisory lock key every append takes (per database). */
const CHAIN_LOCK = 'verihub.audit.chain';

/** What a search may filter on; every filter is optional and they combine with AND. */
export interface AuditLogFilter {
  officer?: string;
  /** Keyed hash of a person's identity number. */
  subjectHash?: string;
  provider?: string;
  verificationId?: string;
  program?: string;
  action?: string;
  /** occurred_at ≥ from (ISO 8601). */
  from?: string;
  /** occurred_at ≤ to (ISO 8601). */
  to?: string;
  /** Only entries up to this sequence (a stable snapshot for an export). */
  upToSequence?: number;
}

/** Rows per INSERT statement: 24 parameters a row, under PostgreSQL's 65,535 parameters a statement. */
const INSERT_ROWS = 1000;

/** One multi-row INSERT (each value is coerced to its column's type, as in any INSERT … VALUES). */
async function insertEntries(manager: EntityManager, entries: readonly ChainedAuditEntry[]): Promise<void> {
  const params: unknown[] = [];
  const rows = entries.map((entry) => {
    const values = [
      entry.sequence,
      entry.eventId,
      entry.recordedAt,
      entry.occurredAt,
      entry.sourceService,
      entry.actorUsername,
      entry.actorRole,
      entry.actorRegion,
      entry.actorOrganisation,
      entry.action,
      entry.verificationId,
      entry.program,
      entry.purpose,
      entry.caseRegion,
      entry.authorizationRefs,
      entry.provider,
      entry.subjectHashes,
      entry.subjectsMasked,
      entry.dataCategories,
      entry.outcomeStatus,
      entry.recordCount,
      entry.latencyMs,
      entry.previousHash,
      entry.entryHash,
    ];
    const placeholders = values.map((value) => {
      params.push(value);
      return `$${params.length}`;
    });
    return `(${placeholders.join(', ')})`;
  });
  await manager.query(`INSERT INTO audit.entries (${AUDIT_ENTRY_COLUMNS}) VALUES ${rows.join(', ')}`, params);
}

export type AppendOutcome = { appended: true; entry: ChainedAuditEntry } | { appended: false; sequence: number };

function whereOf(filter: AuditLogFilter): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(clause(`$${params.length}`));
  };
  if (filter.officer !== undefined) add((p) => `actor_username = ${p}`, filter.officer);
  if (filter.subjectHash !== undefined) add((p) => `subject_hashes @> ARRAY[${p}::text]`, filter.subjectHash);
  if (filter.provider !== undefined) add((p) => `provider = ${p}`, filter.provider);
  if (filter.verificationId !== undefined) add((p) => `verification_id = ${p}::uuid`, filter.verificationId);
  if (filter.program !== undefined) add((p) => `program = ${p}`, filter.program);
  if (filter.action !== undefined) add((p) => `action = ${p}`, filter.action);
  if (filter.from !== undefined) add((p) => `occurred_at >= ${p}::timestamptz`, filter.from);
  if (filter.to !== undefined) add((p) => `occurred_at <= ${p}::timestamptz`, filter.to);
  if (filter.upToSequence !== undefined) add((p) => `sequence <= ${p}`, filter.upToSequence);
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

@Injectable()
export class AuditLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Appends a record at the end of the chain, once per event id: a second append of the same event
   * changes nothing and says which entry holds it.
   */
  async append(record: AuditRecord, now: () => Date = () => new Date()): Promise<AppendOutcome> {
    const [outcome] = await this.appendMany([record], now);
    return outcome;
  }

  /**
   * Appends records at the end of the chain in their order, each event id once (an event already in the log,
   * or earlier in `records`, is not appended again), in one transaction under one chain lock: the cost of an
   * append — the lock, the head, a round trip per statement — is paid once for the lot.
   */
  async appendMany(records: readonly AuditRecord[], now: () => Date = () => new Date()): Promise<AppendOutcome[]> {
    if (records.length === 0) return [];
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [CHAIN_LOCK]);
      const existing = (await manager.query(`SELECT event_id, sequence FROM audit.entries WHERE event_id = ANY($1::uuid[])`, [
        [...new Set(records.map((r) => r.eventId))],
      ])) as { event_id: string; sequence: string }[];
      const sequenceOf = new Map(existing.map((row) => [row.event_id, Number(row.sequence)]));
      let head = await this.head(manager);
      const recordedAt = now().toISOString();
      const entries: ChainedAuditEntry[] = [];
      const outcomes = records.map((record): AppendOutcome => {
        const held = sequenceOf.get(record.eventId);
        if (held !== undefined) return { appended: false, sequence: held };
        const entry = chainEntry(head?.entryHash ?? GENESIS_HASH, { ...record, sequence: (head?.sequence ?? 0) + 1, recordedAt });
        head = { sequence: entry.sequence, entryHash: entry.entryHash };
        sequenceOf.set(record.eventId, entry.sequence);
        entries.push(entry);
        return { appended: true, entry };
      });
      for (let i = 0; i < entries.length; i += INSERT_ROWS) await insertEntries(manager, entries.slice(i, i + INSERT_ROWS));
      return outcomes;
    });
  }

  /** The last entry's sequence and hash (undefined while the log is empty). */
  async head(manager: EntityManager = this.dataSource.manager): Promise<{ sequence: number; entryHash: string } | undefined> {
    const [row] = (await manager.query(`SELECT sequence, entry_hash FROM audit.entries ORDER BY sequence DESC LIMIT 1`)) as {
      sequence: string;
      entry_hash: string;
    }[];
    return row ? { sequence: Number(row.sequence), entryHash: row.entry_hash } : undefined;
  }

  /** One page of matching entries, newest first, and how many match in all. */
  async search(filter: AuditLogFilter, page: number, pageSize: number): Promise<{ items: ChainedAuditEntry[]; total: number }> {
    const where = whereOf(filter);
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::bigint AS total FROM audit.entries ${where.sql}`, where.params)) as {
      total: string;
    }[];
    const rows = (await this.dataSource.query(
      `SELECT ${AUDIT_ENTRY_COLUMNS} FROM audit.entries ${where.sql}
        ORDER BY sequence DESC LIMIT $${where.params.length + 1} OFFSET $${where.params.length + 2}`,
      [...where.params, pageSize, (page - 1) * pageSize],
    )) as AuditEntryRow[];
    return { items: rows.map(auditEntryOf), total: Number(total) };
  }

  async count(filter: AuditLogFilter): Promise<number> {
    const where = whereOf(filter);
    const [{ total }] = (await this.dataSource.query(`SELECT count(*)::bigint AS total FROM audit.entries ${where.sql}`, where.params)) as {
      total: string;
    }[];
    return Number(total);
  }

  /** Matching entries in sequence order, fetched a page at a time (keyset), never all at once. */
  async *stream(filter: AuditLogFilter, pageSize = 1000): AsyncGenerator<ChainedAuditEntry[]> {
    const where = whereOf(filter);
    let after = 0;
    for (;;) {
      const rows = (await this.dataSource.query(
        `SELECT ${AUDIT_ENTRY_COLUMNS} FROM audit.entries ${where.sql ? `${where.sql} AND` : 'WHERE'} sequence > $${where.params.length + 1}
          ORDER BY sequence LIMIT $${where.params.length + 2}`,
        [...where.params, after, pageSize],
      )) as AuditEntryRow[];
      if (rows.length === 0) return;
      yield rows.map(auditEntryOf);
      after = Number(rows[rows.length - 1].sequence);
      if (rows.length < pageSize) return;
    }
  }

  /** Which of these verifications have a verification_created entry (at any time). */
  async createdVerifications(verificationIds: readonly string[]): Promise<Set<string>> {
    if (verificationIds.length === 0) return new Set();
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT verification_id FROM audit.entries WHERE action = 'verification_created' AND verification_id = ANY($1::uuid[])`,
      [verificationIds],
    )) as { verification_id: string }[];
    return new Set(rows.map((r) => r.verification_id));
  }
}
