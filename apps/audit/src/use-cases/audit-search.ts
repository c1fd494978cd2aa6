/** What an auditor searches the log by, and how the search itself is recorded. */
import { randomUUID } from 'crypto';
import { type AuditAction, auditSubjectOf } from '@verihub/domain';
import type { Auditor } from '../auth/auditor';
import type { AuditRecord } from '../messages/audit-event';
import type { AuditLogFilter } from '../repositories/audit-log.repository';

export interface AuditSearchCriteria {
  officer?: string;
  /** A person's identity number (valid by check digit): searched by its keyed hash, never stored. */
  idNumber?: string;
  provider?: string;
  verificationId?: string;
  program?: string;
  action?: string;
  from?: string;
  to?: string;
}

/** The repository filter of the criteria; the identity number becomes its keyed hash here and goes no further. */
export function auditFilterOf(criteria: AuditSearchCriteria, identityHashKey: Buffer): { filter: AuditLogFilter; subject?: { idHash: string; idMasked: string } } {
  const subject = criteria.idNumber !== undefined ? auditSubjectOf(criteria.idNumber, identityHashKey) : undefined;
  return {
    filter: {
      officer: criteria.officer,
      subjectHash: subject?.idHash,
      provider: criteria.provider,
      verificationId: criteria.verificationId?.toLowerCase(),
      program: criteria.program,
      action: criteria.action,
      from: criteria.from,
      to: criteria.to,
    },
    subject,
  };
}

/**
 * The audit office's own act, for the chain: who searched or exported, about whom (hash and masked form),
 * which case, programme or provider, and how many entries it returned. Officer and time filters are not
 * recorded: the contract has no field for them.
 */
export function auditorActRecord(
  auditor: Auditor,
  action: Extract<AuditAction, 'audit_searched' | 'audit_exported'>,
  criteria: AuditSearchCriteria,
  subject: { idHash: string; idMasked: string } | undefined,
  recordCount: number,
  now: Date,
): AuditRecord {
  return {
    eventId: randomUUID(),
    occurredAt: now.toISOString(),
    sourceService: 'audit',
    actorUsername: auditor.username,
    actorRole: auditor.role,
    actorRegion: auditor.regionCode || null,
    actorOrganisation: null,
    action,
    verificationId: criteria.verificationId?.toLowerCase() ?? null,
    program: criteria.program ?? null,
    purpose: null,
    caseRegion: null,
    authorizationRefs: [],
    provider: criteria.provider ?? null,
    subjectHashes: subject ? [subject.idHash] : [],
    subjectsMasked: subject ? [subject.idMasked] : [],
    dataCategories: ['audit_log'],
    outcomeStatus: 'succeeded',
    recordCount,
    latencyMs: null,
  };
}
