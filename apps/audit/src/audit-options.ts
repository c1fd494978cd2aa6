import type { LoggerService, LogLevel } from '@nestjs/common';
import { type AnomalyThresholds, DEFAULT_ANOMALY_THRESHOLDS, MIN_IDENTITY_HASH_KEY_BYTES, checkAnomalyThresholds } from '@verihub/domain';
import type { MessagingConfig } from '@verihub/messaging';

export const MIN_JWT_SECRET_LENGTH = 32;
export const DEFAULT_AUDIT_PORT = 3001;

/** Thresholds to change; anything left out keeps DEFAULT_ANOMALY_THRESHOLDS. */
export type AnomalyThresholdOverrides = { [R in keyof AnomalyThresholds]?: Partial<AnomalyThresholds[R]> };

/** Everything startAudit needs; never read from the environment inside the app (main.ts does that). */
export interface AuditOptions {
  databaseUrl: string;
  messaging: MessagingConfig;
  /** HTTP port of the auditor API; 0 picks a free one (see RunningAudit.url). */
  port: number;
  /** Interface to listen on; default all. */
  host?: string;
  /** The gateway's HS256 token secret (VERIHUB_JWT_SECRET): the audit API accepts the gateway's bearer tokens. */
  jwtSecret: string;
  /** Key of the identity numbers' keyed hash (VERIHUB_IDENTITY_HASH_KEY), at least 32 bytes; the same key every emitter uses. */
  identityHashKey: string | Buffer;
  anomalyThresholds?: AnomalyThresholdOverrides;
  /** Database pool size; default 10. */
  poolSize?: number;
  /** Nest logger (false: silent). */
  logger?: LoggerService | LogLevel[] | false;
}

/** The resolved settings the audit service's classes receive (AUDIT_SETTINGS). */
export interface AuditSettings {
  identityHashKey: Buffer;
  anomalyThresholds: AnomalyThresholds;
}

export const AUDIT_SETTINGS = 'VERIHUB_AUDIT_SETTINGS';

export function resolveAnomalyThresholds(overrides: AnomalyThresholdOverrides = {}): AnomalyThresholds {
  const d = DEFAULT_ANOMALY_THRESHOLDS;
  const thresholds: AnomalyThresholds = {
    queryWithoutCase: { ...d.queryWithoutCase, ...overrides.queryWithoutCase },
    repeatedPerson: { ...d.repeatedPerson, ...overrides.repeatedPerson },
    outsideRegion: { ...d.outsideRegion, ...overrides.outsideRegion },
    burst: { ...d.burst, ...overrides.burst },
    afterHours: { ...d.afterHours, ...overrides.afterHours },
    reportExports: { ...d.reportExports, ...overrides.reportExports },
  };
  const problems = checkAnomalyThresholds(thresholds);
  if (problems.length > 0) throw new Error(`audit: invalid anomaly thresholds: ${problems.join('; ')}`);
  return thresholds;
}

/** Checks the options and resolves the settings; a bad option stops the start with a message naming it. */
export function auditSettingsOf(options: AuditOptions): AuditSettings {
  if (typeof options.jwtSecret !== 'string' || options.jwtSecret.length < MIN_JWT_SECRET_LENGTH) {
    throw new Error(`audit: jwtSecret must be at least ${MIN_JWT_SECRET_LENGTH} characters`);
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw new Error(`audit: port ${options.port} is not a TCP port`);
  }
  const key = typeof options.identityHashKey === 'string' ? Buffer.from(options.identityHashKey, 'utf8') : options.identityHashKey;
  if (!Buffer.isBuffer(key) || key.length < MIN_IDENTITY_HASH_KEY_BYTES) {
    throw new Error(`audit: identityHashKey must be at least ${MIN_IDENTITY_HASH_KEY_BYTES} bytes`);
  }
  return { identityHashKey: key, anomalyThresholds: resolveAnomalyThresholds(options.anomalyThresholds) };
}
