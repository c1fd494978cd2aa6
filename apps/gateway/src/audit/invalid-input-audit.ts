/**
 * What the audit log keeps of a verification request refused as bad input (400): the fields and the rules
 * they broke, never their values. Each becomes a data category `field:rule` (the convention of the gateway's
 * refusals, e.g. `authorization_expired`): the field as a path of plain names and indexes (anything else,
 * such as an unaccepted property a client invented, is `unaccepted_field`), the rule as the leading words
 * of the message (`must_be_a_string`, `invalid_resident_identity_number`) — cut before the first character
 * that is not a letter or a space, so no value quoted later in the message can follow.
 */
import { containsIdentityNumber, type FieldError } from '@verihub/domain';

const FIELD_PATH = /^[A-Za-z][A-Za-z0-9]{0,40}(\[\d{1,4}\])?(\.[A-Za-z][A-Za-z0-9]{0,40}(\[\d{1,4}\])?){0,5}$/;
const MAX_LABELS = 50;

export function ruleOf(message: string): string {
  const words = /^[A-Za-z ]*/.exec(message)?.[0] ?? '';
  const rule = words.trim().toLowerCase().replace(/\s+/g, '_').slice(0, 60);
  return rule === '' ? 'invalid' : rule;
}

export function fieldOf(error: FieldError): string {
  if (error.message === 'is not an accepted field') return 'unaccepted_field';
  if (error.field === '') return 'body';
  return FIELD_PATH.test(error.field) && !containsIdentityNumber(error.field) ? error.field : 'unaccepted_field';
}

/** The refusal's data categories: one `field:rule` per distinct problem. */
export function invalidInputCategories(errors: readonly FieldError[]): string[] {
  return [...new Set(errors.map((e) => `${fieldOf(e)}:${ruleOf(e.message)}`))].slice(0, MAX_LABELS);
}

/** The identity numbers of the request body's members (only valid ones become keyed hashes, in auditEventOf). */
export function memberIdNumbersOf(body: unknown): string[] {
  const members = (body as { members?: unknown } | null)?.members;
  if (!Array.isArray(members)) return [];
  return members
    .map((m) => (typeof m === 'object' && m !== null ? (m as { idNumber?: unknown }).idNumber : undefined))
    .filter((id): id is string => typeof id === 'string')
    .slice(0, 100);
}
