/**
 * A provider's signature over its answer: Ed25519 over the exact bytes given, written `<kid>.<base64url
 * signature>` so the verifier knows which registered key to use.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { keyId } from './signing-keys';

export function signAnswer(bytes: Uint8Array, privateKey: KeyObject): string {
  return `${keyId(privateKey)}.${sign(null, bytes, privateKey).toString('base64url')}`;
}

export type AnswerSignatureCheck = { ok: true; keyId: string } | { ok: false; reason: 'missing' | 'invalid' };

/**
 * Verifies `signature` over `bytes` with the key its kid names among `publicKeysByKid` (only the keys
 * registered for the provider that claims to have answered). Unknown kid, bad format, bad signature:
 * `invalid`; empty: `missing`.
 */
export function verifyAnswerSignature(
  bytes: Uint8Array,
  signature: string,
  publicKeysByKid: ReadonlyMap<string, KeyObject>,
): AnswerSignatureCheck {
  if (!signature) return { ok: false, reason: 'missing' };
  const match = /^([0-9a-f]{16})\.([A-Za-z0-9_-]+)$/.exec(signature);
  if (!match) return { ok: false, reason: 'invalid' };
  const key = publicKeysByKid.get(match[1]);
  if (!key) return { ok: false, reason: 'invalid' };
  try {
    return verify(null, bytes, key, Buffer.from(match[2], 'base64url')) ? { ok: true, keyId: match[1] } : { ok: false, reason: 'invalid' };
  } catch {
    return { ok: false, reason: 'invalid' };
  }
}

/** kid -> key, for verifyAnswerSignature. */
export function keysById(keys: readonly KeyObject[]): Map<string, KeyObject> {
  return new Map(keys.map((k) => [keyId(k), k]));
}
