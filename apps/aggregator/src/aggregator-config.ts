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
 * SWEEP_STARTUP_GRACE_MS (default 5000; 0 allowed), LATE_ANSWER_WINDOW_MS (default 2000; 0 allowed).
 * A bad value stops the start with a message naming the variable.
 */
export function aggregatorOptionsFromEnv(env: NodeJS.ProcessEnv): AggregatorOptions {
  return {
    databaseUrl: databaseUrlFromEnv(env),
    messaging: messagingConfigFromEnv(env, { clientId: 'verihub-aggregator', groupId: 'verihub-aggregator' }),
    bankCodes: parseBankCodes(env.VERIHUB_BANKS),
    providerDeadlineMs: positiveInteger(env, 'PROVIDER_DEADLINE_MS', DEFAULT_PROVIDER_DEADLINE_MS),
    sweepIntervalMs: positiveInteger(env, 'SWEEP_INTERVAL_MS', DEFAULT_SWEEP_INTERVAL_MS),
    sweepStartupGraceMs: wholeNumber(env, 'SWEEP_STARTUP_GRACE_MS', DEFAULT_SWEEP_STARTUP_GRACE_MS),
    lateAnswerWindowMs: wholeNumber(env, 'LATE_ANSWER_WINDOW_MS', DEFAULT_LATE_ANSWER_WINDOW_MS),
  };
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
