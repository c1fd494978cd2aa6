/**
 * Ed25519 signing keys as verihub carries them in configuration: base64 of DER — the private key as
 * PKCS #8, the public key as SPKI. A key id names a public key: the first 16 hex characters of the
 * SHA-256 of its SPKI bytes.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

export interface SigningKeyPair {
  /** base64 of the PKCS #8 DER private key (keep secret). */
  privateKey: string;
  /** base64 of the SPKI DER public key (publish to whoever verifies). */
  publicKey: string;
  /** keyId(publicKey). */
  keyId: string;
}

export function generateSigningKeyPair(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
    publicKey: spki.toString('base64'),
    keyId: keyIdOfSpki(spki),
  };
}

function decodeBase64(value: string, what: string): Buffer {
  const trimmed = (value ?? '').trim();
  if (trimmed === '' || !/^[A-Za-z0-9+/_-]+=*$/.test(trimmed)) throw new Error(`${what} is not base64`);
  return Buffer.from(trimmed, 'base64');
}

/** An Ed25519 private key from base64 PKCS #8 DER; throws naming what is wrong (never echoing the key). */
export function parsePrivateKey(base64: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: decodeBase64(base64, 'the private key'), format: 'der', type: 'pkcs8' });
  } catch (err) {
    throw new Error(`not an Ed25519 private key (base64 PKCS #8 DER expected): ${(err as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 private key (it is ${key.asymmetricKeyType})`);
  return key;
}

/** An Ed25519 public key from base64 SPKI DER; throws naming what is wrong. */
export function parsePublicKey(base64: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: decodeBase64(base64, 'the public key'), format: 'der', type: 'spki' });
  } catch (err) {
    throw new Error(`not an Ed25519 public key (base64 SPKI DER expected): ${(err as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 public key (it is ${key.asymmetricKeyType})`);
  return key;
}

/** The public key of a private key, as base64 SPKI DER. */
export function publicKeyOf(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('base64');
}

/** First 16 hex characters of the SHA-256 of the SPKI DER (a public key, or the public half of a private key). */
export function keyId(key: KeyObject): string {
  let id = keyIds.get(key);
  if (id === undefined) {
    const pub = key.type === 'private' ? createPublicKey(key) : key;
    id = keyIdOfSpki(pub.export({ type: 'spki', format: 'der' }));
    keyIds.set(key, id);
  }
  return id;
}

/** Key objects are immutable: their id is computed once (it was 5 % of the aggregator's CPU, signing every query token). */
const keyIds = new WeakMap<KeyObject, string>();

function keyIdOfSpki(spki: Buffer): string {
  return createHash('sha256').update(spki).digest('hex').slice(0, 16);
}
