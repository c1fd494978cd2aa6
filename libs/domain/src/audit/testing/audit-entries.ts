/** Audit entries for specs: sensible defaults, overridden per case. */
import type { AuditEntry, ChainedAuditEntry } from '../audit-entry';
import { GENESIS_HASH } from '../audit-entry';
import { chainEntry } from '../hash-chain';

export function auditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    sequence: 1,
    eventId: '00000000-0000-4000-8000-000000000001',
    occurredAt: '2026-11-02T10:00:00+08:00',
    recordedAt: '2026-11-02T02:00:00.120Z',
    sourceService: 'gateway',
    actorUsername: 'officer',
    actorRole: 'officer',
    actorRegion: '500115',
    actorOrganisation: null,
    action: 'verification_created',
    verificationId: '6a1f0000-0000-4000-8000-0000000000a1',
    program: 'dibao',
    purpose: 'application',
    caseRegion: '500115',
    authorizationRefs: ['AUTH-2026-000123'],
    provider: null,
    subjectHashes: ['a'.repeat(64)],
    subjectsMasked: ['500115********1234'],
    dataCategories: [],
    outcomeStatus: 'succeeded',
    recordCount: null,
    latencyMs: null,
    ...overrides,
  };
}

/** A valid chain of the given entries, numbered 1, 2, 3 … in order. */
export function auditChain(entries: Partial<AuditEntry>[]): ChainedAuditEntry[] {
  const chain: ChainedAuditEntry[] = [];
  entries.forEach((overrides, i) => {
    const previous = chain.at(-1)?.entryHash ?? GENESIS_HASH;
    const eventId = `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
    chain.push(chainEntry(previous, auditEntry({ eventId, ...overrides, sequence: i + 1 })));
  });
  return chain;
}
