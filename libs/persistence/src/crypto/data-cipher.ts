/**
 * Encryption at rest of the personal data the aggregator stores (identity numbers, names, the records
 * about people): AES-256-GCM under VERIHUB_DATA_ENCRYPTION_KEY. A sealed value is a jsonb object
 * `{v: 1, kid, iv, ct, tag}` (base64 fields): `kid` names the key, so a rotated key can still open what
 * an older one sealed. Each value is bound to its place (table, column, row id) as additional data, so a
 * ciphertext copied into another row or column does not open. Error messages name keys by id, never a key
 * or a value.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export const DATA_KEY_BYTES = 32;

/** How a value is stored (a jsonb column holds it as is). */
export interface SealedValue {
  v: 1;
  /** Id of the key that sealed it (dataKeyIdOf). */
  kid: string;
  /** 12-byte nonce, base64. */
  iv: string;
  /** Ciphertext of the value's JSON, base64. */
  ct: string;
  /** 16-byte GCM authentication tag, base64. */
  tag: string;
}

export function isSealedValue(value: unknown): value is SealedValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return v.v === 1 && typeof v.kid === 'string' && typeof v.iv === 'string' && typeof v.ct === 'string' && typeof v.tag === 'string';
}

/** A sealed value could not be opened: no key with its id, or the key (or the data) is wrong. */
export class DataDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDecryptionError';
  }
}

/**
 * VERIHUB_DATA_ENCRYPTION_KEY: 32 random bytes as 64 hex characters or base64 (standard or url-safe,
 * padding optional). Throws naming the setting, never echoing the text.
 */
export function parseDataEncryptionKey(text: string, setting = 'VERIHUB_DATA_ENCRYPTION_KEY'): Buffer {
  const trimmed = typeof text === 'string' ? text.trim() : '';
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(trimmed)) {
    const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === DATA_KEY_BYTES) return key;
  }
  throw new Error(`${setting} must be ${DATA_KEY_BYTES} bytes as 64 hex characters or base64 (e.g. \`openssl rand -base64 32\`)`);
}

/** The key's id: a fingerprint (16 hex characters of a labelled SHA-256), safe to store and log. */
export function dataKeyIdOf(key: Buffer): string {
  return createHash('sha256').update('verihub data encryption key id\0').update(key).digest('hex').slice(0, 16);
}

export class DataCipher {
  private readonly keys: ReadonlyMap<string, Buffer>;
  /** The key new values are sealed with. */
  readonly currentKeyId: string;

  /** `current` seals; `previous` keys only open what they sealed (rotation). */
  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    for (const key of [current, ...previous]) {
      if (key.length !== DATA_KEY_BYTES) throw new Error(`a data encryption key must be ${DATA_KEY_BYTES} bytes`);
    }
    this.currentKeyId = dataKeyIdOf(current);
    this.keys = new Map([...previous, current].map((key) => [dataKeyIdOf(key), key]));
  }

  hasKey(kid: string): boolean {
    return this.keys.has(kid);
  }

  /** Seals `value` (as JSON) for the place `context` names (e.g. "verifications.members:<id>"). */
  seal(value: unknown, context: string): SealedValue {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId) as Buffer, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return { v: 1, kid: this.currentKeyId, iv: iv.toString('base64'), ct: ct.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
  }

  /** Opens a value sealed for `context`; throws DataDecryptionError (naming the key id and the place only). */
  open<T>(sealed: unknown, context: string): T {
    const where = context.split(':')[0];
    if (!isSealedValue(sealed)) throw new DataDecryptionError(`${where}: the stored value is not encrypted data`);
    const key = this.keys.get(sealed.kid);
    if (!key) {
      throw new DataDecryptionError(`${where}: encrypted under data key ${sealed.kid}, which is not configured (current key ${this.currentKeyId})`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as T;
    } catch {
      throw new DataDecryptionError(`${where}: data sealed under key ${sealed.kid} does not open (wrong key, or the data was altered or moved)`);
    }
  }
}
