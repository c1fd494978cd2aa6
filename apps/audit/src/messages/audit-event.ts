/**
 * An AuditEventRecorded as the audit log stores it, checked first: an event that is incomplete, or that
 * seems to carry a raw identity number, is refused (the handler dead-letters it) rather than recorded.
 */
import type { AuditEventRecorded } from '@verihub/contracts';
import {
  type AuditEntry,
  containsIdentityNumber,
  isAuditAction,
  isMaskedIdentityNumber,
  isSha256Hex,
  isZonedDateTime,
} from '@verihub/domain';

/** What an event says; the log adds its sequence, the time it recorded it, and the chain hashes. */
export type AuditRecord = Omit<AuditEntry, 'sequence' | 'recordedAt'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REGION_CODE = /^\d{6}$/;
/** Free texts are short labels (usernames, codes, references); anything longer is not what the contract means. */
const MAX_TEXT = 200;
const MAX_SUBJECTS = 100;
const MAX_LIST = 100;

const orNull = (value: string | undefined): string | null => (value === undefined || value === '' ? null : value);

/** The problems of an event, each naming its field ([] when it can be recorded). Never echoes a value. */
export function auditEventProblems(event: AuditEventRecorded): string[] {
  const problems: string[] = [];
  const texts: [string, string | undefined][] = [
    ['source_service', event.sourceService],
    ['actor.username', event.actor?.username],
    ['actor.role', event.actor?.role],
    ['actor.region_code', event.actor?.regionCode],
    ['actor.organisation', event.actor?.organisation],
    ['action', event.action],
    ['case.verification_id', event.case?.verificationId],
    ['case.program', event.case?.program],
    ['case.purpose', event.case?.purpose],
    ['case.region_code', event.case?.regionCode],
    ['provider', event.provider],
    ['outcome.status', event.outcome?.status],
    ...(event.case?.authorizationRefs ?? []).map((r, i): [string, string] => [`case.authorization_refs[${i}]`, r]),
    ...event.dataCategories.map((c, i): [string, string] => [`data_categories[${i}]`, c]),
  ];
  for (const [field, value] of texts) {
    if (value === undefined) continue;
    if (value.length > MAX_TEXT) problems.push(`${field} is longer than ${MAX_TEXT} characters`);
    else if (containsIdentityNumber(value)) problems.push(`${field} holds what looks like a raw identity number`);
  }

  if (!UUID.test(event.eventId)) problems.push('event_id must be a uuid');
  if (!isZonedDateTime(event.occurredAt)) problems.push('occurred_at must be ISO 8601 with an offset');
  if (!event.sourceService) problems.push('source_service is required');
  if (!event.actor?.username) problems.push('actor.username is required');
  if (!event.actor?.role) problems.push('actor.role is required');
  if (event.actor?.regionCode && !REGION_CODE.test(event.actor.regionCode)) problems.push('actor.region_code must be 6 digits');
  if (!isAuditAction(event.action)) problems.push('action is not one of the audit actions');
  if (event.case?.verificationId && !UUID.test(event.case.verificationId)) problems.push('case.verification_id must be a uuid');
  if (event.case?.regionCode && !REGION_CODE.test(event.case.regionCode)) problems.push('case.region_code must be 6 digits');
  if ((event.case?.authorizationRefs.length ?? 0) > MAX_LIST) problems.push(`case.authorization_refs has more than ${MAX_LIST} items`);
  if (event.dataCategories.length > MAX_LIST) problems.push(`data_categories has more than ${MAX_LIST} items`);
  if (event.subjects.length > MAX_SUBJECTS) problems.push(`subjects has more than ${MAX_SUBJECTS} items`);
  event.subjects.forEach((s, i) => {
    if (!isSha256Hex(s.idHash)) problems.push(`subjects[${i}].id_hash must be a keyed hash (64 lower-case hex characters)`);
    if (!isMaskedIdentityNumber(s.idMasked)) problems.push(`subjects[${i}].id_masked must be a masked identity number (110105********002X)`);
  });
  const count = event.outcome?.recordCount;
  if (count !== undefined && (!Number.isInteger(count) || count < 0)) problems.push('outcome.record_count must be ≥ 0');
  if (event.latencyMs !== undefined && (!Number.isInteger(event.latencyMs) || event.latencyMs < 0)) problems.push('latency_ms must be ≥ 0');
  return problems;
}

/** The record of a valid event (check auditEventProblems first). */
export function auditRecordOf(event: AuditEventRecorded): AuditRecord {
  return {
    eventId: event.eventId.toLowerCase(),
    occurredAt: new Date(Date.parse(event.occurredAt)).toISOString(),
    sourceService: event.sourceService,
    actorUsername: event.actor?.username ?? '',
    actorRole: event.actor?.role ?? '',
    actorRegion: orNull(event.actor?.regionCode),
    actorOrganisation: orNull(event.actor?.organisation),
    action: event.action,
    verificationId: orNull(event.case?.verificationId?.toLowerCase()),
    program: orNull(event.case?.program),
    purpose: orNull(event.case?.purpose),
    caseRegion: orNull(event.case?.regionCode),
    authorizationRefs: [...(event.case?.authorizationRefs ?? [])],
    provider: orNull(event.provider),
    subjectHashes: event.subjects.map((s) => s.idHash),
    subjectsMasked: event.subjects.map((s) => s.idMasked),
    dataCategories: [...event.dataCategories],
    outcomeStatus: orNull(event.outcome?.status),
    recordCount: event.outcome?.recordCount ?? null,
    latencyMs: event.latencyMs ?? null,
  };
}
