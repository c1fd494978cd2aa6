/**
 * Encryption at rest of the gateway's read model (issue 4 item 5): the personal data columns — a
 * verification's members (identity numbers, names), declared data and authorizations, a report version's
 * document and its changes — are jsonb holding sealed values (AES-256-GCM under VERIHUB_DATA_ENCRYPTION_KEY,
 * DataCipher of libs/persistence, the aggregator's format). What the gateway filters or sorts on stays in
 * plain columns (region, status, programme, conclusion, times) or in keyed hashes (authorizations).
 *
 * The entity columns seal and open through TypeORM transformers, so every read and write of the entities is
 * covered whoever writes it; raw SQL over these columns uses sealFor/openFrom with the same place names. A
 * value is bound to its column (the place is the additional authenticated data): a ciphertext moved to
 * another column does not open. It is not bound to its row (a transformer does not see the row), unlike the
 * aggregator's; the key is the gateway's process-wide configuration, set once by startGateway/migrateGateway.
 */
import type { ValueTransformer } from 'typeorm';
import { type DataCipher, isSealedValue, type SealedValue } from '@verihub/persistence';

export const SealedPlaces = {
  members: 'gateway.verifications.members',
  declared: 'gateway.verifications.declared',
  authorizations: 'gateway.verifications.authorizations',
  report: 'gateway.report_versions.report',
  changes: 'gateway.report_versions.changes',
  batchRequest: 'gateway.batch_items.request',
} as const;
export type SealedPlace = (typeof SealedPlaces)[keyof typeof SealedPlaces];

let configured: DataCipher | undefined;

/** Sets the key the gateway seals with (startGateway, migrateGateway). */
export function useGatewayDataCipher(cipher: DataCipher): void {
  configured = cipher;
}

/** The configured cipher, or undefined before startGateway/migrateGateway set one. */
export function configuredGatewayDataCipher(): DataCipher | undefined {
  return configured;
}

function cipher(): DataCipher {
  if (!configured) throw new Error('gateway: no data encryption key is configured (VERIHUB_DATA_ENCRYPTION_KEY); personal data is never stored in plaintext');
  return configured;
}

/** The sealed form of a value for a place (null stays null). */
export function sealFor(place: SealedPlace, value: unknown): SealedValue | null {
  return value === null || value === undefined ? null : cipher().seal(value, place);
}

/** The value stored at a place: opened when sealed; a row written before encryption at rest is read as it is. */
export function openFrom<T>(place: SealedPlace, stored: unknown): T {
  if (stored === null || stored === undefined) return stored as T;
  return isSealedValue(stored) ? cipher().open<T>(stored, place) : (stored as T);
}

/** The column transformer of a sealed jsonb column. */
export function sealedJson(place: SealedPlace): ValueTransformer {
  return {
    to: (value: unknown) => (value === undefined ? undefined : sealFor(place, value)),
    from: (stored: unknown) => openFrom(place, stored),
  };
}
