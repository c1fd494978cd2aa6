import type { ChainedAuditEntry } from './audit-entry';
import { GENESIS_HASH } from './audit-entry';
import { auditChain, auditEntry } from './testing/audit-entries';
import { AuditChainVerifier, canonicalAuditJson, canonicalJson, chainHash, verifyChain } from './hash-chain';

describe('canonical JSON', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
  });

  it('gives one text for an entry whatever its key order, offset or extra properties', () => {
    const entry = auditEntry();
    const reordered = Object.fromEntries(Object.entries(entry).reverse()) as typeof entry;
    const inUtc = { ...entry, occurredAt: '2026-11-02T02:00:00Z' };
    const withHashes = { ...entry, previousHash: 'x', entryHash: 'y', unrelated: 1 };
    expect(canonicalAuditJson(reordered)).toBe(canonicalAuditJson(entry));
    expect(canonicalAuditJson(inUtc)).toBe(canonicalAuditJson(entry));
    expect(canonicalAuditJson(withHashes)).toBe(canonicalAuditJson(entry));
    expect(canonicalAuditJson(entry)).toContain('"occurredAt":"2026-11-02T02:00:00.000Z"');
  });

  it('hashes the previous hash with the entry (SHA-256 hex)', () => {
    const entry = auditEntry();
    expect(chainHash(GENESIS_HASH, entry)).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash(GENESIS_HASH, entry)).not.toBe(chainHash('1'.repeat(64), entry));
  });
});

describe('verifyChain', () => {
  const chain = auditChain([
    { action: 'verification_created' },
    { action: 'provider_query_sent', provider: 'tax' },
    { action: 'provider_answer_received', provider: 'tax', outcomeStatus: 'answered', recordCount: 3, latencyMs: 180 },
    { action: 'report_read' },
    { action: 'report_exported' },
  ]);
  const change = (sequence: number, patch: Partial<ChainedAuditEntry>): ChainedAuditEntry[] =>
    chain.map((e) => (e.sequence === sequence ? { ...e, ...patch } : e));

  it('accepts an intact chain and an empty one', () => {
    expect(verifyChain(chain)).toEqual({ ok: true, count: 5, lastSequence: 5, headHash: chain[4].entryHash });
    expect(verifyChain([])).toEqual({ ok: true, count: 0, lastSequence: null, headHash: GENESIS_HASH });
  });

  it.each<[string, ChainedAuditEntry[], number, string]>([
    ['a changed record count', change(3, { recordCount: 0 }), 3, 'entry_hash_mismatch'],
    ['a changed actor', change(1, { actorUsername: 'someone-else' }), 1, 'entry_hash_mismatch'],
    ['a changed subject hash', change(4, { subjectHashes: ['b'.repeat(64)] }), 4, 'entry_hash_mismatch'],
    ['a changed timestamp', change(5, { occurredAt: '2026-11-02T10:00:01+08:00' }), 5, 'entry_hash_mismatch'],
    ['an added authorization reference', change(2, { authorizationRefs: ['AUTH-2026-000123', 'AUTH-X'] }), 2, 'entry_hash_mismatch'],
    ['a removed entry', chain.filter((e) => e.sequence !== 3), 3, 'entry_missing'],
    ['removed first entries', chain.slice(2), 1, 'entry_missing'],
    ['a re-hashed changed entry', change(2, { recordCount: 9, entryHash: chainHash(chain[0].entryHash, { ...chain[1], recordCount: 9 }) }), 3, 'previous_hash_mismatch'],
    ['a swapped pair', [chain[0], chain[2], chain[1], chain[3], chain[4]], 2, 'entry_missing'],
    ['a repeated entry', [chain[0], chain[1], chain[1], chain[2]], 2, 'sequence_out_of_order'],
    ['a forged start', change(1, { previousHash: '1'.repeat(64) }), 1, 'previous_hash_mismatch'],
  ])('detects %s at its sequence', (_, entries, sequence, reason) => {
    expect(verifyChain(entries)).toMatchObject({ ok: false, firstBrokenSequence: sequence, reason });
  });

  it('counts the entries checked before the break and explains it', () => {
    expect(verifyChain(change(4, { provider: 'bank:ICBC' }))).toEqual({
      ok: false,
      count: 3,
      firstBrokenSequence: 4,
      reason: 'entry_hash_mismatch',
      detail: "entry 4's content does not match its hash (it was changed after it was recorded)",
    });
  });

  it('streams: entries after the break are not looked at', () => {
    const verifier = new AuditChainVerifier();
    expect(chain.slice(0, 2).map((e) => verifier.add(e))).toEqual([true, true]);
    expect(verifier.add({ ...chain[2], action: 'report_read' })).toBe(false);
    expect(verifier.add(chain[3])).toBe(false);
    expect(verifier.result()).toMatchObject({ ok: false, firstBrokenSequence: 3 });
  });
});
