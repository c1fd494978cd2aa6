/**
 * Stable record ids. A line may carry the department's own key (`recordId`); otherwise the id is a
 * name-based UUID (RFC 4122 version 5, SHA-1) of the record's natural key, so re-importing the same
 * record yields the same id (and replaces the row) and the id reveals no identity number.
 *
 * Natural keys: person idNumber; vehicle idNumber+plate; income idNumber+period+item+withholder;
 * property certificateNo+idNumber; fund account idNumber+accountNo+asOf (one row per snapshot);
 * contribution idNumber+period; bank holding bank+idNumber+accountNo+product+asOf; bank interest
 * bank+idNumber+accountNo+period.
 */
import { createHash } from 'crypto';

const NAMESPACE = Buffer.from('5b0e1a2c7d9f4e3a8b6c1d2e3f4a5b6c', 'hex');

export function nameBasedUuid(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The natural key's parts, joined with a separator no field may contain. */
export function derivedRecordId(parts: readonly string[]): string {
  return nameBasedUuid(parts.join('\u001f'));
}
