/** The audit service's options from a distributed deployment's environment (main.ts only). */
import { MIN_IDENTITY_HASH_KEY_BYTES } from '@verihub/domain';
import { messagingConfigFromEnv } from '@verihub/messaging';
import { databaseUrlFromEnv } from '@verihub/persistence';
import {
  type AnomalyThresholdOverrides,
  type AuditOptions,
  DEFAULT_AUDIT_PORT,
  MIN_JWT_SECRET_LENGTH,
  resolveAnomalyThresholds,
} from './audit-options';

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid environment:\n  ${problems.join('\n  ')}`);
  }
}

/** The anomaly thresholds' variables: name → [rule, field]. Each is a whole number ≥ 1 (hours: 0–24). */
export const ANOMALY_THRESHOLD_VARIABLES = {
  AUDIT_NO_CASE_COUNT: ['queryWithoutCase', 'count'],
  AUDIT_REPEATED_PERSON_COUNT: ['repeatedPerson', 'count'],
  AUDIT_REPEATED_PERSON_WINDOW_HOURS: ['repeatedPerson', 'windowHours'],
  AUDIT_OUTSIDE_REGION_COUNT: ['outsideRegion', 'count'],
  AUDIT_BURST_COUNT: ['burst', 'count'],
  AUDIT_BURST_WINDOW_MINUTES: ['burst', 'windowMinutes'],
  AUDIT_AFTER_HOURS_COUNT: ['afterHours', 'count'],
  AUDIT_WORKDAY_START_HOUR: ['afterHours', 'workdayStartHour'],
  AUDIT_WORKDAY_END_HOUR: ['afterHours', 'workdayEndHour'],
  AUDIT_REPORT_EXPORT_COUNT: ['reportExports', 'count'],
  AUDIT_REPORT_EXPORT_WINDOW_HOURS: ['reportExports', 'windowHours'],
} as const;

const set = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

function wholeNumber(env: NodeJS.ProcessEnv, name: string, problems: string[]): number | undefined {
  const raw = env[name];
  if (!set(raw)) return undefined;
  if (!/^\d+$/.test(raw.trim())) {
    problems.push(`${name} must be a whole number, not "${raw}"`);
    return undefined;
  }
  return Number(raw.trim());
}

/** What `main.js migrate` needs. */
export function migrateEnvironment(env: NodeJS.ProcessEnv): { databaseUrl: string } {
  if (set(env.DATABASE_URL) && !/^postgres(ql)?:\/\//.test(env.DATABASE_URL)) {
    throw new InvalidEnvironmentError(['DATABASE_URL must be a postgres:// URL']);
  }
  return { databaseUrl: databaseUrlFromEnv(env) };
}

/**
 * DATABASE_URL, VERIHUB_TRANSPORT, KAFKA_BROKERS (see libs/messaging), AUDIT_PORT (default 3001),
 * VERIHUB_JWT_SECRET (required, ≥ 32 characters: the gateway's), VERIHUB_IDENTITY_HASH_KEY (required,
 * ≥ 32 characters: the key every service hashes identity numbers with), and the anomaly thresholds
 * (ANOMALY_THRESHOLD_VARIABLES). Every bad variable is named; none is echoed when it is a secret.
 */
export function auditEnvironment(env: NodeJS.ProcessEnv): Omit<AuditOptions, 'logger'> {
  const problems: string[] = [];
  const { databaseUrl } = (() => {
    try {
      return migrateEnvironment(env);
    } catch (err) {
      problems.push(...(err as InvalidEnvironmentError).problems);
      return { databaseUrl: '' };
    }
  })();

  const port = wholeNumber(env, 'AUDIT_PORT', problems) ?? DEFAULT_AUDIT_PORT;
  if (port > 65535) problems.push('AUDIT_PORT must be a TCP port number');

  const jwtSecret = env.VERIHUB_JWT_SECRET ?? '';
  if (!set(jwtSecret)) problems.push('VERIHUB_JWT_SECRET is required (the gateway’s token signing secret)');
  else if (jwtSecret.length < MIN_JWT_SECRET_LENGTH) problems.push(`VERIHUB_JWT_SECRET must be at least ${MIN_JWT_SECRET_LENGTH} characters`);

  const identityHashKey = env.VERIHUB_IDENTITY_HASH_KEY ?? '';
  if (!set(identityHashKey)) {
    problems.push('VERIHUB_IDENTITY_HASH_KEY is required (the identity numbers’ hash key; e.g. `openssl rand -base64 48`)');
  } else if (Buffer.byteLength(identityHashKey, 'utf8') < MIN_IDENTITY_HASH_KEY_BYTES) {
    problems.push(`VERIHUB_IDENTITY_HASH_KEY must be at least ${MIN_IDENTITY_HASH_KEY_BYTES} characters`);
  }

  const anomalyThresholds: Record<string, Record<string, number>> = {};
  for (const [name, [rule, field]] of Object.entries(ANOMALY_THRESHOLD_VARIABLES)) {
    const value = wholeNumber(env, name, problems);
    if (value !== undefined) anomalyThresholds[rule] = { ...anomalyThresholds[rule], [field]: value };
  }

  try {
    resolveAnomalyThresholds(anomalyThresholds as AnomalyThresholdOverrides);
  } catch (err) {
    problems.push((err as Error).message.replace(/^audit: /, ''));
  }

  let messaging: AuditOptions['messaging'] | undefined;
  try {
    messaging = messagingConfigFromEnv(env, { clientId: 'verihub-audit', groupId: 'verihub-audit' });
  } catch (err) {
    problems.push((err as Error).message);
  }
  if (problems.length > 0 || !messaging) throw new InvalidEnvironmentError(problems);
  return { databaseUrl, messaging, port, jwtSecret, identityHashKey, anomalyThresholds: anomalyThresholds as AnomalyThresholdOverrides };
}
