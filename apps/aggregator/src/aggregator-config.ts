/** The aggregator's options from a distributed deployment's environment (main.ts only). */
import { parseBankCodes } from '@verihub/domain';
import { messagingConfigFromEnv } from '@verihub/messaging';
import { databaseUrlFromEnv } from '@verihub/persistence';
import type { AggregatorOptions } from './aggregator-options';
import {
  DEFAULT_LATE_ANSWER_WINDOW_MS,
  DEFAULT_PROVIDER_DEADLINE_MS,
  DEFAULT_SWEEP_INTERVAL_MS,
  DEFAULT_SWEEP_STARTUP_GRACE_MS,
} from './rules/verification-rules';

/**
 * DATABASE_URL, VERIHUB_TRANSPORT, KAFKA_BROKERS (see libs/messaging), VERIHUB_BANKS (default
 * ICBC,CCB,BOC,ABC), PROVIDER_DEADLINE_MS (default 30000), SWEEP_INTERVAL_MS (default 1000),
 * SWEEP_STARTUP_GRACE_MS (default 5000; 0 allowed), LATE_ANSWER_WINDOW_MS (default 2000; 0 allowed);
 * required: VERIHUB_QUERY_SIGNING_KEY (base64 PKCS #8 Ed25519), VERIHUB_IDENTITY_HASH_KEY (≥ 32 characters),
 * VERIHUB_PROVIDER_KEYS (JSON object: provider id → base64 SPKI Ed25519 public key, one per provider asked),
 * VERIHUB_DATA_ENCRYPTION_KEY (32 bytes, base64 or 64 hex: the personal data at rest); optional
 * VERIHUB_DATA_ENCRYPTION_PREVIOUS_KEYS (comma-separated earlier data keys, after a rotation) —
 * `npm run verihub -- keys generate` prints a set. A bad value stops the start with a message naming the
 * variable (never echoing a key).
 */
export function aggregatorOptionsFromEnv(env: NodeJS.ProcessEnv): AggregatorOptions {
  return {
    databaseUrl: databaseUrlFromEnv(env),
    messaging: messagingConfigFromEnv(env, { clientId: 'verihub-aggregator', groupId: 'verihub-aggregator' }),
    bankCodes: parseBankCodes(env.VERIHUB_BANKS),
    querySigningKey: required(env, 'VERIHUB_QUERY_SIGNING_KEY').trim(),
    identityHashKey: required(env, 'VERIHUB_IDENTITY_HASH_KEY'),
    providerKeys: providerKeysFrom(required(env, 'VERIHUB_PROVIDER_KEYS')),
    dataEncryptionKey: required(env, 'VERIHUB_DATA_ENCRYPTION_KEY').trim(),
    previousDataEncryptionKeys: (env.VERIHUB_DATA_ENCRYPTION_PREVIOUS_KEYS ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter((k) => k !== ''),
    providerDeadlineMs: positiveInteger(env, 'PROVIDER_DEADLINE_MS', DEFAULT_PROVIDER_DEADLINE_MS),
    sweepIntervalMs: positiveInteger(env, 'SWEEP_INTERVAL_MS', DEFAULT_SWEEP_INTERVAL_MS),
    sweepStartupGraceMs: wholeNumber(env, 'SWEEP_STARTUP_GRACE_MS', DEFAULT_SWEEP_STARTUP_GRACE_MS),
    lateAnswerWindowMs: wholeNumber(env, 'LATE_ANSWER_WINDOW_MS', DEFAULT_LATE_ANSWER_WINDOW_MS),
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new Error(`${name} is required (generate keys with \`npm run verihub -- keys generate\`)`);
  return value;
}

/** VERIHUB_PROVIDER_KEYS: {"tax": "<base64 SPKI>", "bank:ICBC": "...", ...}. */
function providerKeysFrom(raw: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('VERIHUB_PROVIDER_KEYS must be a JSON object of provider id → base64 public key');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
    throw new Error('VERIHUB_PROVIDER_KEYS must be a JSON object of provider id → base64 public key');
  }
  return parsed as Record<string, string>;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = wholeNumber(env, name, fallback);
  if (value <= 0) throw new Error(`${name} must be a positive whole number of milliseconds, not "${env[name]}"`);
  return value;
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(Number(raw))) {
    throw new Error(`${name} must be a whole number of milliseconds, not "${raw}"`);
  }
  return Number(raw);
}
