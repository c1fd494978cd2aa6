/**
 * Reads the audit service's log (schema `audit`, table `entries`) a page at a time in sequence order, as
 * the chain's entries. The CLI cannot import apps/audit, so this is its own reader of that table's columns;
 * the verify command's medium spec runs it over a log the audit service wrote.
 */
import type { Client } from 'pg';
import type { ChainedAuditEntry } from '@verihub/domain';

interface EntryRow {
  sequence: string;
  event_id: string;
  recorded_at: Date;
  occurred_at: Date;
  source_service: string;
  actor_username: string;
  actor_role: string;
  actor_region: string | null;
  actor_organisation: string | null;
  action: string;
  verification_id: string | null;
  program: string | null;
  purpose: string | null;
  region_code: string | null;
  authorization_refs: string[];
  provider: string | null;
  subject_hashes: string[];
  subjects_masked: string[];
  data_categories: string[];
  outcome_status: string | null;
  record_count: number | null;
  latency_ms: number | null;
  previous_hash: string;
  entry_hash: string;
}

function entryOf(row: EntryRow): ChainedAuditEntry {
  return {
    sequence: Number(row.sequence),
    eventId: row.event_id,
    occurredAt: row.occurred_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    sourceService: row.source_service,
    actorUsername: row.actor_username,
    actorRole: row.actor_role,
    actorRegion: row.actor_region,
    actorOrganisation: row.actor_organisation,
    action: row.action,
    verificationId: row.verification_id,
    program: row.program,
    purpose: row.purpose,
    caseRegion: row.region_code,
    authorizationRefs: row.authorization_refs,
    provider: row.provider,
    subjectHashes: row.subject_hashes,
    subjectsMasked: row.subjects_masked,
    dataCategories: row.data_categories,
    outcomeStatus: row.outcome_status,
    recordCount: row.record_count,
    latencyMs: row.latency_ms,
    previousHash: row.previous_hash,
    entryHash: row.entry_hash,
  };
}

/** Whether the database holds an audit log at all. */
export async function hasAuditLog(client: Client): Promise<boolean> {
  const { rows } = await client.query<{ table: string | null }>(`SELECT to_regclass('audit.entries')::text AS table`);
  return rows[0]?.table !== null && rows[0]?.table !== undefined;
}

/** Every entry in sequence order, `pageSize` rows per query (keyset: never the whole log in memory). */
export async function* auditChainPages(client: Client, pageSize: number): AsyncGenerator<ChainedAuditEntry[]> {
  let after = 0;
  for (;;) {
    const { rows } = await client.query<EntryRow>(
      `SELECT sequence, event_id, recorded_at, occurred_at, source_service, actor_username, actor_role, actor_region,
              actor_organisation, action, verification_id, program, purpose, region_code, authorization_refs, provider,
              subject_hashes, subjects_masked, data_categories, outcome_status, record_count, latency_ms, previous_hash, entry_hash
         FROM audit.entries WHERE sequence > $1 ORDER BY sequence LIMIT $2`,
      [after, pageSize],
    );
    if (rows.length === 0) return;
    yield rows.map(entryOf);
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1].sequence);
  }
}
