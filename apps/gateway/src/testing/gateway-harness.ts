import { randomBytes } from 'crypto';
import { Client } from 'pg';
import request from 'supertest';
import { Topics } from '@verihub/contracts';
import { createMessagePublisher, type ClosableMessagePublisher, type MessagingConfig } from '@verihub/messaging';
import { createTestDatabase, type TestDatabase } from '../../../../test/medium/test-database';
import { migrateGateway, startGateway, type GatewayOptions, type RunningGateway } from '../gateway.app';

export const DEMO_PASSWORD = 'demo-password-for-tests';
/** The identity-hash key of the gateway tests (the audit service's tests use the same one). */
export const TEST_IDENTITY_HASH_KEY = 'medium-test-identity-hash-key-0123456789';
/** The read model's data encryption key in tests (32 bytes, base64). */
export const TEST_DATA_ENCRYPTION_KEY = Buffer.alloc(32, 'medium-test-data-key').toString('base64');

/** A real gateway on a fresh PostgreSQL database and the in-process transport, for medium tests. */
export interface GatewayHarness {
  gateway: RunningGateway;
  db: TestDatabase;
  /** A direct connection to the test database, to check what was (not) stored. */
  pg: Client;
  /** Publishes as another app (the aggregator) would, on the same in-process broker. */
  publisher: ClosableMessagePublisher;
  http(): ReturnType<typeof request>;
  token(username: string, password?: string): Promise<string>;
  count(table: string): Promise<number>;
  /**
   * Outbox messages other than audit events: what a refused request must not add (it stores and asks
   * nothing, though a refusal may leave an audit event).
   */
  countBusinessOutbox(): Promise<number>;
  close(): Promise<void>;
}

export function testMessagingConfig(groupId = 'verihub-gateway'): MessagingConfig {
  return { transport: 'in-process', brokers: [], clientId: groupId, groupId, consumer: { retryAttempts: 2, retryInitialDelayMs: 10 } };
}

export async function startGatewayHarness(overrides: Partial<GatewayOptions> = {}): Promise<GatewayHarness> {
  const db = await createTestDatabase();
  await migrateGateway({ databaseUrl: db.url });
  const gateway = await startGateway({
    databaseUrl: db.url,
    messaging: testMessagingConfig(),
    port: 0,
    host: '127.0.0.1',
    jwtSecret: randomBytes(32).toString('hex'),
    identityHashKey: TEST_IDENTITY_HASH_KEY,
    dataEncryptionKey: TEST_DATA_ENCRYPTION_KEY,
    demoAccounts: { password: DEMO_PASSWORD },
    bankCodes: ['ICBC', 'CCB'],
    logger: false,
    // Tests sign in and call far more often than people do: high limits (the rate-limit test sets its own).
    rateLimits: { loginLimit: 10_000, apiLimit: 100_000 },
    ...overrides,
  });
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  const publisher = createMessagePublisher(testMessagingConfig('aggregator-double'));
  const http = () => request(gateway.url);
  return {
    gateway,
    db,
    pg,
    publisher,
    http,
    async token(username, password = DEMO_PASSWORD) {
      const response = await http().post('/api/v1/auth/token').send({ username, password }).expect(200);
      return (response.body as { accessToken: string }).accessToken;
    },
    async count(table) {
      const { rows } = await pg.query<{ n: string }>(`SELECT count(*) AS n FROM gateway.${table}`);
      return Number(rows[0].n);
    },
    async countBusinessOutbox() {
      const { rows } = await pg.query<{ n: string }>(`SELECT count(*) AS n FROM gateway.outbox WHERE topic <> $1`, [Topics.auditEventRecorded]);
      return Number(rows[0].n);
    },
    async close() {
      await publisher.close();
      await gateway.close();
      await pg.end();
      await db.drop();
    },
  };
}

export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
