/**
 * The audit log's hash chain: each entry's hash covers its content and the previous entry's hash, so
 * changing, removing or reordering any recorded entry breaks the chain from that entry on.
 */
import { createHash } from 'node:crypto';
import { type AuditEntry, type ChainedAuditEntry, GENESIS_HASH } from './audit-entry';

/** The fields an entry hash covers, in the order they are written (keys are sorted anyway). */
const HASHED_FIELDS = [
  'sequence',
  'eventId',
  'occurredAt',
  'recordedAt',
  'sourceService',
  'actorUsername',
  'actorRole',
  'actorRegion',
  'actorOrganisation',
  'action',
  'verificationId',
  'program',
  'purpose',
  'caseRegion',
  'authorizationRefs',
  'provider',
  'subjectHashes',
  'subjectsMasked',
  'dataCategories',
  'outcomeStatus',
  'recordCount',
  'latencyMs',
] as const satisfies readonly (keyof AuditEntry)[];

const TIMESTAMP_FIELDS = new Set<string>(['occurredAt', 'recordedAt']);

/** An instant written one way only (UTC, milliseconds), whatever offset it came with. */
function canonicalInstant(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

/** JSON with object keys sorted at every level and no whitespace: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError(`${value} has no JSON form`);
  return JSON.stringify(value);
}

/**
 * The canonical JSON of an entry: exactly the recorded fields (not its chain hashes, nor anything else the
 * object carries), keys in a stable order, absent facts as null, timestamps as UTC instants.
 */
export function canonicalAuditJson(entry: AuditEntry): string {
  const picked: Record<string, unknown> = {};
  for (const field of HASHED_FIELDS) {
    const value = entry[field];
    picked[field] = TIMESTAMP_FIELDS.has(field) ? canonicalInstant(value) : (value ?? null);
  }
  return canonicalJson(picked);
}

/** SHA-256 (hex) over the previous entry's hash followed by the entry's canonical JSON. */
export function chainHash(previousHash: string, entry: AuditEntry): string {
  return createHash('sha256').update(previousHash, 'utf8').update(canonicalAuditJson(entry), 'utf8').digest('hex');
}

/** Links an entry to the chain whose last hash is `previousHash`. */
export function chainEntry(previousHash: string, entry: AuditEntry): ChainedAuditEntry {
  return { ...entry, previousHash, entryHash: chainHash(previousHash, entry) };
}

export type ChainBreakReason =
  /** An entry's content no longer gives its stored hash (a field was changed). */
  | 'entry_hash_mismatch'
  /** An entry does not point at the hash of the entry before it (an entry was replaced or re-hashed). */
  | 'previous_hash_mismatch'
  /** A sequence number is missing (an entry was removed). */
  | 'entry_missing'
  /** Sequence numbers repeat or go backwards. */
  | 'sequence_out_of_order';

export type ChainVerification =
  | { ok: true; count: number; lastSequence: number | null; headHash: string }
  | { ok: false; count: number; firstBrokenSequence: number; reason: ChainBreakReason; detail: string };

/**
 * Checks a chain entry by entry, in sequence order, without holding it: feed every entry to add() (it
 * returns false once the chain is broken; later entries are not looked at), then read result().
 */
export class AuditChainVerifier {
  private expectedSequence = 1;
  private previousHash = GENESIS_HASH;
  private checked = 0;
  private broken: Extract<ChainVerification, { ok: false }> | undefined;

  add(entry: ChainedAuditEntry): boolean {
    if (this.broken) return false;
    const problem = this.check(entry);
    if (problem) {
      this.broken = { ok: false, count: this.checked, ...problem };
      return false;
    }
    this.checked += 1;
    this.expectedSequence = entry.sequence + 1;
    this.previousHash = entry.entryHash;
    return true;
  }

  result(): ChainVerification {
    if (this.broken) return this.broken;
    return { ok: true, count: this.checked, lastSequence: this.checked === 0 ? null : this.expectedSequence - 1, headHash: this.previousHash };
  }

  private check(entry: ChainedAuditEntry): Omit<Extract<ChainVerification, { ok: false }>, 'ok' | 'count'> | undefined {
    const expected = this.expectedSequence;
    if (!Number.isSafeInteger(entry.sequence) || entry.sequence < expected) {
      return {
        firstBrokenSequence: entry.sequence,
        reason: 'sequence_out_of_order',
        detail: `entry ${entry.sequence} comes after entry ${expected - 1}; sequence numbers must increase by one`,
      };
    }
    if (entry.sequence > expected) {
      const missing = entry.sequence - 1 === expected ? `entry ${expected} is missing` : `entries ${expected} to ${entry.sequence - 1} are missing`;
      return { firstBrokenSequence: expected, reason: 'entry_missing', detail: `${missing} (the next entry is ${entry.sequence})` };
    }
    if (entry.previousHash !== this.previousHash) {
      return {
        firstBrokenSequence: entry.sequence,
        reason: 'previous_hash_mismatch',
        detail:
          expected === 1
            ? `entry 1 does not start the chain (its previous hash is not the genesis hash)`
            : `entry ${entry.sequence} does not point at the hash of entry ${expected - 1}`,
      };
    }
    if (chainHash(entry.previousHash, entry) !== entry.entryHash) {
      return {
        firstBrokenSequence: entry.sequence,
        reason: 'entry_hash_mismatch',
        detail: `entry ${entry.sequence}'s content does not match its hash (it was changed after it was recorded)`,
      };
    }
    return undefined;
  }
}

/** Checks a whole chain held in memory (see AuditChainVerifier to stream one). */
export function verifyChain(entries: Iterable<ChainedAuditEntry>): ChainVerification {
  const verifier = new AuditChainVerifier();
  for (const entry of entries) if (!verifier.add(entry)) break;
  return verifier.result();
}
