/** The cipher of personal data at rest lives in libs/persistence (the gateway seals its read model with it too). */
export { DataCipher, DataDecryptionError, DATA_KEY_BYTES, dataKeyIdOf, isSealedValue, parseDataEncryptionKey, type SealedValue } from '@verihub/persistence';
