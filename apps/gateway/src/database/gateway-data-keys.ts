/** The gateway's data encryption keys: from options (startGateway, migrateGateway) or the environment. */
import { DataCipher, parseDataEncryptionKey } from '@verihub/persistence';

export interface GatewayDataKeys {
  /** VERIHUB_DATA_ENCRYPTION_KEY: 32 bytes, base64 or 64 hex; seals the personal data at rest. */
  dataEncryptionKey: string;
  /** VERIHUB_DATA_ENCRYPTION_PREVIOUS_KEYS: earlier keys, which only open what they sealed (rotation). */
  previousDataEncryptionKeys?: string[];
}

/** The cipher of these keys; throws naming the setting, never echoing a key. */
export function gatewayDataCipherOf(keys: GatewayDataKeys): DataCipher {
  return new DataCipher(
    parseDataEncryptionKey(keys.dataEncryptionKey),
    (keys.previousDataEncryptionKeys ?? []).map((k) => parseDataEncryptionKey(k, 'VERIHUB_DATA_ENCRYPTION_PREVIOUS_KEYS')),
  );
}

/** The keys in the environment (undefined when VERIHUB_DATA_ENCRYPTION_KEY is unset); throws on a malformed one. */
export function gatewayDataKeysFromEnv(env: NodeJS.ProcessEnv): GatewayDataKeys | undefined {
  const current = env.VERIHUB_DATA_ENCRYPTION_KEY?.trim();
  if (!current) return undefined;
  const keys: GatewayDataKeys = {
    dataEncryptionKey: current,
    previousDataEncryptionKeys: (env.VERIHUB_DATA_ENCRYPTION_PREVIOUS_KEYS ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter((k) => k !== ''),
  };
  gatewayDataCipherOf(keys);
  return keys;
}
