import { createHmac } from 'node:crypto';
import { maskIdentityNumber } from '../identity-number';

/** A keyed hash must be computed with a secret of at least this many bytes. */
export const MIN_IDENTITY_HASH_KEY_BYTES = 32;

function normalise(idNumber: string): string {
  return idNumber.trim().toUpperCase();
}

/**
 * The keyed hash by which the audit log (and any lookup table) refers to a person: HMAC-SHA256 of the
 * identity number (trimmed, a trailing x upper-cased) under a secret key, as 64 lower-case hex characters.
 * Without the key a hash cannot be tested against candidate numbers (the number space is small).
 */
export function keyedIdentityHash(idNumber: string, key: Buffer | string): string {
  if (key.length === 0) throw new RangeError('the identity hash key is empty');
  return createHmac('sha256', key).update(normalise(idNumber), 'utf8').digest('hex');
}

/** How an audit event names a person: the keyed hash, and the masked form for display. */
export interface AuditSubjectRef {
  idHash: string;
  idMasked: string;
}

export function auditSubjectOf(idNumber: string, key: Buffer | string): AuditSubjectRef {
  return { idHash: keyedIdentityHash(idNumber, key), idMasked: maskIdentityNumber(normalise(idNumber)) };
}

/** 64 lower-case hex characters, as keyedIdentityHash and the chain hashes write them. */
export function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}

/** The masked form of an identity number (first 6 and last 4 kept, 8 asterisks between). */
export function isMaskedIdentityNumber(value: unknown): value is string {
  return typeof value === 'string' && /^\d{6}\*{8}\d{3}[\dX]$/.test(value);
}

/** Whether a free text holds something shaped like a raw identity number (17 digits and a digit or X). */
export function containsIdentityNumber(text: string): boolean {
  return /\d{17}[\dXx]/.test(text);
}
