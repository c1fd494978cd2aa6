/**
 * Keys for tests: generated once per test process (Ed25519 generation is fast), shared by every test
 * that starts an aggregator or an adapter, so the two sides agree.
 */
import { parseBankCodes, providerRegistry } from '../../providers';
import { generateSigningKeyPair, type SigningKeyPair } from '../signing-keys';

export const TEST_IDENTITY_HASH_KEY = 'verihub-test-identity-hash-key-0123456789abcdef';
/** The aggregator's data encryption key in tests (32 bytes, base64). */
export const TEST_DATA_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

let queryKeys: SigningKeyPair | undefined;
const providerKeys = new Map<string, SigningKeyPair>();

/** The aggregator's query-token key pair. */
export function testQueryKeys(): SigningKeyPair {
  return (queryKeys ??= generateSigningKeyPair());
}

/** A provider's answer-signing key pair ("tax", "bank:ICBC", ...). */
export function testProviderKeyPair(provider: string): SigningKeyPair {
  let pair = providerKeys.get(provider);
  if (!pair) providerKeys.set(provider, (pair = generateSigningKeyPair()));
  return pair;
}

/** What an adapter for `provider` is configured with. */
export function testAdapterKeys(provider: string): { queryVerifyKey: string; answerSigningKey: string; identityHashKey: string } {
  return { queryVerifyKey: testQueryKeys().publicKey, answerSigningKey: testProviderKeyPair(provider).privateKey, identityHashKey: TEST_IDENTITY_HASH_KEY };
}

/** What an aggregator asking the registry of these banks is configured with. */
export function testAggregatorKeys(bankCodes: readonly string[]): {
  querySigningKey: string;
  identityHashKey: string;
  providerKeys: Record<string, string>;
  dataEncryptionKey: string;
} {
  const providers = providerRegistry(bankCodes.length === 0 ? [] : parseBankCodes(bankCodes.join(','))).map((p) => p.id);
  return {
    querySigningKey: testQueryKeys().privateKey,
    identityHashKey: TEST_IDENTITY_HASH_KEY,
    providerKeys: Object.fromEntries(providers.map((p) => [p, testProviderKeyPair(p).publicKey])),
    dataEncryptionKey: TEST_DATA_ENCRYPTION_KEY,
  };
}
