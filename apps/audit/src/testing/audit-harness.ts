/** A real audit service on a fresh PostgreSQL database and the in-process transport, for medium tests. */
import { randomBytes, randomUUID } from 'crypto';
import { JwtService } from '@nestjs/jwt';
import type { LoggerService } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { AuditEventRecorded, Topics } from '@verihub/contracts';
import { auditSubjectOf } from '@verihub/domain';
import { type MessagingConfig, encodeMessage, inProcessBroker } from '@verihub/messaging';
import { createTestDatabase, type TestDatabase } from '../../../../test/medium/test-database';
import { type AuditOptions, type RunningAudit, migrateAudit, startAudit } from '../audit.app';

export const IDENTITY_HASH_KEY = 'medium-test-identity-hash-key-0123456789';

export function testMessagingConfig(groupId = 'verihub-audit'): MessagingConfig {
  return { transport: 'in-process', brokers: [], clientId: groupId, groupId, consumer: { retryAttempts: 2, retryInitialDelayMs: 10 } };
}

/** Every line the service logged, to check what never appears in them. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown): void {
    this.lines.push(String(message));
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.lines.push([message, ...rest].map(String).join(' '));
  }
  warn(message: unknown): void {
    this.lines.push(String(message));
  }
  debug(message: unknown): void {
    this.lines.push(String(message));
  }
  verbose(message: unknown): void {
    this.lines.push(String(message));
  }
}

export type AuditEventInput = Parameters<typeof AuditEventRecorded.fromPartial>[0];

/** An event as an emitting service would build it; `idNumbers` become keyed hashes and masked forms. */
export function auditEvent(input: AuditEventInput & { idNumbers?: string[] } = {}): AuditEventRecorded {
  const { idNumbers, ...rest } = input;
  return AuditEventRecorded.fromPartial({
    eventId: randomUUID(),
    occurredAt: '2026-11-02T10:00:00+08:00',
    sourceService: 'gateway',
    actor: { username: 'officer', role: 'officer', regionCode: '500115' },
    action: 'verification_created',
    subjects: (idNumbers ?? []).map((id) => auditSubjectOf(id, IDENTITY_HASH_KEY)),
    ...rest,
  });
}

/** Publishes as the emitting services do: key = verification id, or the event id without a case. */
export function publishAuditEvents(...events: AuditEventRecorded[]): void {
  inProcessBroker().publish(
    events.map((e) => ({ topic: Topics.auditEventRecorded, key: e.case?.verificationId || e.eventId, value: encodeMessage(AuditEventRecorded, e) })),
  );
}

export function publishRaw(key: string, value: Uint8Array): void {
  inProcessBroker().publish([{ topic: Topics.auditEventRecorded, key, value }]);
}

export interface AuditHarness {
  audit: RunningAudit;
  db: TestDatabase;
  sql: Client;
  jwtSecret: string;
  logger: CapturingLogger;
  http(): ReturnType<typeof request>;
  /** A token as the gateway issues it (HS256, claims sub, role, region). */
  token(claims: { sub: string; role: string; region?: string }, options?: { expiresIn?: number; secret?: string }): Promise<string>;
  entryCount(): Promise<number>;
  /** Waits until the log holds `count` entries. */
  untilEntries(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function eventually<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function startAuditHarness(overrides: Partial<AuditOptions> = {}): Promise<AuditHarness> {
  const db = await createTestDatabase();
  await migrateAudit({ databaseUrl: db.url });
  const jwtSecret = randomBytes(32).toString('hex');
  const logger = new CapturingLogger();
  const audit = await startAudit({
    databaseUrl: db.url,
    messaging: testMessagingConfig(),
    port: 0,
    host: '127.0.0.1',
    jwtSecret,
    identityHashKey: IDENTITY_HASH_KEY,
    poolSize: 4,
    logger,
    ...overrides,
  });
  const sql = new Client({ connectionString: db.url });
  await sql.connect();
  const entryCount = async () => Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM audit.entries`)).rows[0].n);
  return {
    audit,
    db,
    sql,
    jwtSecret,
    logger,
    http: () => request(audit.url),
    token: (claims, options = {}) => {
      const jwt = new JwtService({ secret: options.secret ?? jwtSecret });
      const expiresIn = options.expiresIn ?? 600;
      // An expired token: its exp is already past (jsonwebtoken refuses a negative expiresIn).
      if (expiresIn <= 0) return jwt.signAsync({ region: '500115', ...claims, exp: Math.floor(Date.now() / 1000) + expiresIn }, { algorithm: 'HS256' });
      return jwt.signAsync({ region: '500115', ...claims }, { algorithm: 'HS256', expiresIn });
    },
    entryCount,
    untilEntries: async (count) => {
      await eventually(`${count} audit entries`, async () => (await entryCount()) >= count);
    },
    async close() {
      await audit.close();
      await sql.end();
      await db.drop();
    },
  };
}
