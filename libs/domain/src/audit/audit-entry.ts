/**
 * What the audit log records (domain.md section 8): who, why, about whom (keyed hashes and masked forms),
 * what, when, the outcome and the latency of every auditable act, never the data values.
 */

/** Every act the audit log knows; the contract (proto/verihub/audit/v1/audit.proto) documents each. */
export const AUDIT_ACTIONS = [
  'verification_created',
  'provider_query_sent',
  'provider_answer_received',
  'report_read',
  'report_exported',
  'report_signed',
  'objection_recorded',
  'audit_searched',
  'audit_exported',
  'audit_report_opened',
  'login_succeeded',
  'login_failed',
  'user_created',
  'user_updated',
  'policy_created',
  'authorization_revoked',
  'verification_refused',
  'access_refused',
  'batch_submitted',
  'batch_cancelled',
  'batch_results_exported',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === 'string' && (AUDIT_ACTIONS as readonly string[]).includes(value);
}

/**
 * One recorded act, as stored (one column per field) and as hashed into the chain. Optional facts are
 * null, never empty strings; timestamps are ISO 8601 instants.
 */
export interface AuditEntry {
  /** 1, 2, 3 … in the order the audit service recorded the entries, without gaps. */
  sequence: number;
  /** The emitter's event id (uuid): an event is recorded once. */
  eventId: string;
  occurredAt: string;
  recordedAt: string;
  sourceService: string;
  actorUsername: string;
  actorRole: string;
  actorRegion: string | null;
  actorOrganisation: string | null;
  action: string;
  verificationId: string | null;
  program: string | null;
  purpose: string | null;
  /** The verification's region (6-digit administrative code). */
  caseRegion: string | null;
  authorizationRefs: string[];
  provider: string | null;
  /** Keyed hashes (HMAC-SHA256 hex) of the identity numbers concerned, in the event's order. */
  subjectHashes: string[];
  /** Their masked forms (110105********002X), same order. */
  subjectsMasked: string[];
  dataCategories: string[];
  outcomeStatus: string | null;
  recordCount: number | null;
  latencyMs: number | null;
}

/** An entry with its place in the hash chain. */
export interface ChainedAuditEntry extends AuditEntry {
  /** The entry hash of the entry before (GENESIS_HASH for sequence 1). */
  previousHash: string;
  /** chainHash(previousHash, entry). */
  entryHash: string;
}

/** The previous hash of the very first entry. */
export const GENESIS_HASH = '0'.repeat(64);
