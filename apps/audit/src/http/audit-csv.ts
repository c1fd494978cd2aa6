/** The audit log as CSV (RFC 4180): a header row, one row per entry, people by masked identity number only. */
import type { ChainedAuditEntry } from '@verihub/domain';

export const CSV_COLUMNS = [
  'sequence',
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
  'subjects',
  'provider',
  'dataCategories',
  'outcomeStatus',
  'recordCount',
  'latencyMs',
  'entryHash',
] as const;

/**
 * One cell: quoted when it holds a comma, quote or line break; a text starting with = + - @ (or a tab or
 * carriage return) is prefixed with ' so a spreadsheet shows it instead of evaluating it.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvRow(e: ChainedAuditEntry): string {
  const cells: (string | number | null)[] = [
    e.sequence,
    e.occurredAt,
    e.recordedAt,
    e.sourceService,
    e.actorUsername,
    e.actorRole,
    e.actorRegion,
    e.actorOrganisation,
    e.action,
    e.verificationId,
    e.program,
    e.purpose,
    e.caseRegion,
    e.authorizationRefs.join(';'),
    e.subjectsMasked.join(';'),
    e.provider,
    e.dataCategories.join(';'),
    e.outcomeStatus,
    e.recordCount,
    e.latencyMs,
    e.entryHash,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}
