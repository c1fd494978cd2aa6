import type { KeyObject } from 'node:crypto';
import type { LoggerService, LogLevel } from '@nestjs/common';
import {
  keysById,
  MIN_IDENTITY_HASH_KEY_BYTES,
  parseBankCodes,
  parsePrivateKey,
  parsePublicKey,
  providerRegistry,
  type ProviderDescriptor,
} from '@verihub/domain';
import type { MessagingConfig } from '@verihub/messaging';
import { DataCipher, parseDataEncryptionKey } from './crypto/data-cipher';
import {
  DEFAULT_LATE_ANSWER_WINDOW_MS,
  DEFAULT_PROVIDER_DEADLINE_MS,
  DEFAULT_SWEEP_INTERVAL_MS,
  DEFAULT_SWEEP_STARTUP_GRACE_MS,
} from './rules/verification-rules';

/** Everything startAggregator needs; never read from the environment inside the app (main.ts does that). */
export interface AggregatorOptions {
  databaseUrl: string;
  messaging: MessagingConfig;
  /** Bank codes ("ICBC", ...): the hub asks every registered bank. */
  bankCodes: string[];
  /**
   * The aggregator's Ed25519 private key (base64 PKCS #8 DER; VERIHUB_QUERY_SIGNING_KEY): signs the query token
   * of every QueryRequested. Adapters hold the public half (VERIHUB_QUERY_VERIFY_KEY).
   */
  querySigningKey: string;
  /** Key of the identity numbers' keyed hash (VERIHUB_IDENTITY_HASH_KEY, ≥ 32 characters): tokens name members by it. */
  identityHashKey: string;
  /**
   * Each provider's registered answer-signing public key (base64 SPKI DER; VERIHUB_PROVIDER_KEYS), by provider
   * id: required for every provider asked. An answer not signed by its provider's key is recorded as an error.
   */
  providerKeys: Record<string, string>;
  /**
   * Key of the personal data stored at rest (VERIHUB_DATA_ENCRYPTION_KEY: 32 bytes as base64 or 64 hex):
   * identity numbers, names and the records about people are stored AES-256-GCM encrypted under it.
   */
  dataEncryptionKey: string;
  /**
   * Earlier data keys (VERIHUB_DATA_ENCRYPTION_PREVIOUS_KEYS, comma-separated), after a rotation: they only
   * open what they sealed; everything new is sealed with dataEncryptionKey.
   */
  previousDataEncryptionKeys?: string[];
  /** How long each provider has to answer; default 30 000 ms. */
  providerDeadlineMs?: number;
  /** How often the deadline sweeper runs; default 1 000 ms. */
  sweepIntervalMs?: number;
  /** Verifications the sweeper handles per run; default 100. */
  sweepBatchSize?: number;
  /**
   * How long the sweeper waits, once this instance's consumer is consuming (after a start, a restart or a
   * rebalance), before it enforces deadlines: time to read the answers that waited in the transport while
   * nobody consumed them. Default 5 000 ms; 0 enforces as soon as the consumer consumes. See DeadlineSweeper.
   */
  sweepStartupGraceMs?: number;
  /**
   * Late answers to a round whose report is out are collected for this long (from the first) and reported
   * together in one new version. Default 2 000 ms; 0: the next sweep reports them.
   */
  lateAnswerWindowMs?: number;
  /** Database pool size; default 10. */
  poolSize?: number;
  /** Nest logger (false: silent). */
  logger?: LoggerService | LogLevel[] | false;
}

/** The resolved settings the aggregator's classes receive (AGGREGATOR_SETTINGS). */
export interface AggregatorSettings {
  providers: ProviderDescriptor[];
  providerDeadlineMs: number;
  sweepIntervalMs: number;
  sweepBatchSize: number;
  sweepStartupGraceMs: number;
  lateAnswerWindowMs: number;
  consent: ConsentKeys;
  /** Seals and opens the personal data at rest. */
  dataCipher: DataCipher;
}

/** The parsed keys: the query-token signing key, the identity hash key, each provider's public keys by key id. */
export interface ConsentKeys {
  querySigningKey: KeyObject;
  identityHashKey: string;
  providerKeys: ReadonlyMap<string, ReadonlyMap<string, KeyObject>>;
}

export const AGGREGATOR_SETTINGS = 'VERIHUB_AGGREGATOR_SETTINGS';

export function aggregatorSettingsOf(options: AggregatorOptions): AggregatorSettings {
  const positive = (value: number | undefined, fallback: number, name: string): number => {
    const v = value ?? fallback;
    if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer, not ${String(value)}`);
    return v;
  };
  const nonNegative = (value: number | undefined, fallback: number, name: string): number => {
    const v = value ?? fallback;
    if (!Number.isInteger(v) || v < 0) throw new Error(`${name} must be a whole number of ms ≥ 0, not ${String(value)}`);
    return v;
  };
  // Validated and normalised as VERIHUB_BANKS is ("icbc" → "ICBC", duplicates dropped); [] means no bank.
  const providers = providerRegistry(options.bankCodes.length === 0 ? [] : parseBankCodes(options.bankCodes.join(',')));
  return {
    providers,
    consent: consentKeysOf(options, providers),
    dataCipher: dataCipherOf(options),
    providerDeadlineMs: positive(options.providerDeadlineMs, DEFAULT_PROVIDER_DEADLINE_MS, 'providerDeadlineMs'),
    sweepIntervalMs: positive(options.sweepIntervalMs, DEFAULT_SWEEP_INTERVAL_MS, 'sweepIntervalMs'),
    sweepBatchSize: positive(options.sweepBatchSize, 100, 'sweepBatchSize'),
    sweepStartupGraceMs: nonNegative(options.sweepStartupGraceMs, DEFAULT_SWEEP_STARTUP_GRACE_MS, 'sweepStartupGraceMs'),
    lateAnswerWindowMs: nonNegative(options.lateAnswerWindowMs, DEFAULT_LATE_ANSWER_WINDOW_MS, 'lateAnswerWindowMs'),
  };
}

/** Parses and checks the keys; a missing or bad one stops the start naming the setting (never the key). */
export function consentKeysOf(options: Pick<AggregatorOptions, 'querySigningKey' | 'identityHashKey' | 'providerKeys'>, providers: ProviderDescriptor[]): ConsentKeys {
  let querySigningKey: KeyObject;
  try {
    querySigningKey = parsePrivateKey(options.querySigningKey);
  } catch (err) {
    throw new Error(`querySigningKey (VERIHUB_QUERY_SIGNING_KEY): ${(err as Error).message}`);
  }
  if (typeof options.identityHashKey !== 'string' || Buffer.byteLength(options.identityHashKey, 'utf8') < MIN_IDENTITY_HASH_KEY_BYTES) {
    throw new Error(`identityHashKey (VERIHUB_IDENTITY_HASH_KEY) must be at least ${MIN_IDENTITY_HASH_KEY_BYTES} characters`);
  }
  const providerKeys = new Map<string, ReadonlyMap<string, KeyObject>>();
  const missing = providers.map((p) => p.id).filter((id) => !options.providerKeys?.[id]);
  if (missing.length > 0) throw new Error(`providerKeys (VERIHUB_PROVIDER_KEYS) has no public key for ${missing.join(', ')}`);
  for (const provider of providers) {
    try {
      providerKeys.set(provider.id, keysById([parsePublicKey(options.providerKeys[provider.id])]));
    } catch (err) {
      throw new Error(`providerKeys (VERIHUB_PROVIDER_KEYS) for ${provider.id}: ${(err as Error).message}`);
    }
  }
  return { querySigningKey, identityHashKey: options.identityHashKey, providerKeys };
}

/** The data cipher of dataEncryptionKey (and the previous keys); a bad key stops the start naming the setting. */
export function dataCipherOf(options: Pick<AggregatorOptions, 'dataEncryptionKey' | 'previousDataEncryptionKeys'>): DataCipher {
  if (typeof options.dataEncryptionKey !== 'string' || options.dataEncryptionKey.trim() === '') {
    throw new Error('dataEncryptionKey (VERIHUB_DATA_ENCRYPTION_KEY) is required');
  }
  const current = parseDataEncryptionKey(options.dataEncryptionKey, 'dataEncryptionKey (VERIHUB_DATA_ENCRYPTION_KEY)');
  const previous = (options.previousDataEncryptionKeys ?? []).map((k, i) =>
    parseDataEncryptionKey(k, `previousDataEncryptionKeys[${i}] (VERIHUB_DATA_ENCRYPTION_PREVIOUS_KEYS)`),
  );
  return new DataCipher(current, previous);
}
