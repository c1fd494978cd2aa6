/**
 * The audit service's log table (`audit.entries`) as rows: its columns and their mapping to the domain's
 * chained entries. Shared by the audit service (which owns the table) and the `verihub audit verify`
 * command, which reads the same table and may not import an app.
 */
import type { ChainedAuditEntry } from '@verihub/domain';

export const AUDIT_ENTRY_COLUMNS = `sequence, event_id, recorded_at, occurred_at, source_service, actor_username, actor_role, actor_region,
  actor_organisation, action, verification_id, program, purpose, region_code, authorization_refs, provider,
  subject_hashes, subjects_masked, data_categories, outcome_status, record_count, latency_ms, previous_hash, entry_hash`;

export interface AuditEntryRow {
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

export function auditEntryOf(row: AuditEntryRow): ChainedAuditEntry {
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
