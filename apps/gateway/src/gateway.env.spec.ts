import { gatewayEnvironment, InvalidEnvironmentError, migrateEnvironment } from './gateway.env';

const SECRET = 'x'.repeat(32);
const HASH_KEY = 'k'.repeat(32);
const DATA_KEY = Buffer.alloc(32, 'data-key').toString('base64');
/** The required variables. */
const REQUIRED = { VERIHUB_JWT_SECRET: SECRET, VERIHUB_IDENTITY_HASH_KEY: HASH_KEY, VERIHUB_DATA_ENCRYPTION_KEY: DATA_KEY };

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    gatewayEnvironment(env);
    return [];
  } catch (err) {
    if (err instanceof InvalidEnvironmentError) return err.problems;
    throw err;
  }
}

describe('gateway environment (checked at start-up)', () => {
  it('refuses to start without VERIHUB_JWT_SECRET, or with a short one', () => {
    expect(problemsOf({ VERIHUB_IDENTITY_HASH_KEY: HASH_KEY })).toEqual([expect.stringContaining('VERIHUB_JWT_SECRET is required')]);
    expect(problemsOf({ ...REQUIRED, VERIHUB_JWT_SECRET: 'short' })).toEqual(['VERIHUB_JWT_SECRET must be at least 32 characters']);
  });

  it('refuses to start without VERIHUB_IDENTITY_HASH_KEY, or with a short one, never echoing it', () => {
    expect(problemsOf({ VERIHUB_JWT_SECRET: SECRET })).toEqual([expect.stringContaining('VERIHUB_IDENTITY_HASH_KEY is required')]);
    expect(problemsOf({ ...REQUIRED, VERIHUB_IDENTITY_HASH_KEY: 'short-key' })).toEqual(['VERIHUB_IDENTITY_HASH_KEY must be at least 32 characters']);
  });

  it('refuses to start without VERIHUB_DATA_ENCRYPTION_KEY, or with a malformed one, never echoing it', () => {
    const { VERIHUB_DATA_ENCRYPTION_KEY: _key, ...withoutKey } = REQUIRED;
    expect(problemsOf(withoutKey)).toEqual([expect.stringContaining('VERIHUB_DATA_ENCRYPTION_KEY is required')]);
    const problems = problemsOf({ ...REQUIRED, VERIHUB_DATA_ENCRYPTION_KEY: 'not-a-key-of-32-bytes' });
    expect(problems).toEqual([expect.stringContaining('VERIHUB_DATA_ENCRYPTION_KEY must be 32 bytes')]);
    expect(problems.join()).not.toContain('not-a-key-of-32-bytes');
    expect(problemsOf({ ...REQUIRED, VERIHUB_DATA_ENCRYPTION_PREVIOUS_KEYS: 'short' })).toEqual([expect.stringContaining('VERIHUB_DATA_ENCRYPTION_PREVIOUS_KEYS must be 32 bytes')]);
  });

  it('reads the defaults', () => {
    expect(gatewayEnvironment(REQUIRED)).toEqual({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/verihub',
      messaging: { transport: 'kafka', brokers: ['127.0.0.1:9092'], clientId: 'verihub-gateway', groupId: 'verihub-gateway' },
      port: 3000,
      jwtSecret: SECRET,
      tokenLifetimeSeconds: undefined,
      bankCodes: ['ICBC', 'CCB', 'BOC', 'ABC'],
      bootstrapAdminPassword: undefined,
      staticDir: undefined,
      identityHashKey: HASH_KEY,
      auditUrl: undefined,
      dataEncryptionKey: DATA_KEY,
      previousDataEncryptionKeys: [],
    });
  });

  it('reads every variable', () => {
    const env = gatewayEnvironment({
      ...REQUIRED,
      VERIHUB_AUDIT_URL: 'http://audit.internal:3001',
      PORT: '8080',
      DATABASE_URL: 'postgres://u@db:5432/verihub',
      VERIHUB_TRANSPORT: 'kafka',
      KAFKA_BROKERS: 'k1:9092,k2:9092',
      VERIHUB_BANKS: 'icbc,boc',
      VERIHUB_TOKEN_TTL_SECONDS: '600',
      VERIHUB_BOOTSTRAP_ADMIN_PASSWORD: 'first-admin-password',
      VERIHUB_LOGIN_MAX_FAILURES: '3',
      VERIHUB_LOGIN_LOCK_MINUTES: '30',
      VERIHUB_RATE_LIMIT_LOGIN: '20',
      VERIHUB_RATE_LIMIT_API: '0',
      VERIHUB_RATE_LIMIT_WINDOW_SECONDS: '120',
      VERIHUB_TRUST_PROXY: '1',
    });
    expect(env).toMatchObject({
      signInLockout: { maxFailures: 3, lockSeconds: 1800 },
      rateLimits: { loginLimit: 20, apiLimit: 0, windowSeconds: 120 },
      trustProxy: 1,
      port: 8080,
      databaseUrl: 'postgres://u@db:5432/verihub',
      messaging: { brokers: ['k1:9092', 'k2:9092'] },
      bankCodes: ['ICBC', 'BOC'],
      tokenLifetimeSeconds: 600,
      bootstrapAdminPassword: 'first-admin-password',
      identityHashKey: HASH_KEY,
      auditUrl: 'http://audit.internal:3001',
    });
  });

  it.each<[NodeJS.ProcessEnv, string]>([
    [{ PORT: 'eighty' }, 'PORT must be a TCP port number'],
    [{ PORT: '99999' }, 'PORT must be a TCP port number'],
    [{ VERIHUB_TRANSPORT: 'carrier-pigeon' }, 'VERIHUB_TRANSPORT must be "kafka" or "in-process"'],
    [{ KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS must be host:port[,host:port...]'],
    [{ VERIHUB_BANKS: 'ICBC,!!' }, 'VERIHUB_BANKS: "!!" is not a bank code'],
    [{ VERIHUB_BOOTSTRAP_ADMIN_PASSWORD: 'short' }, 'VERIHUB_BOOTSTRAP_ADMIN_PASSWORD must be at least 10 characters'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a postgres:// URL'],
    [{ VERIHUB_LOGIN_MAX_FAILURES: '0' }, 'VERIHUB_LOGIN_MAX_FAILURES must be a whole number from 1 to 9999'],
    [{ VERIHUB_LOGIN_LOCK_MINUTES: '2.5' }, 'VERIHUB_LOGIN_LOCK_MINUTES must be a whole number of minutes'],
    [{ VERIHUB_RATE_LIMIT_LOGIN: '-1' }, 'VERIHUB_RATE_LIMIT_LOGIN must be a whole number'],
    [{ VERIHUB_RATE_LIMIT_API: 'lots' }, 'VERIHUB_RATE_LIMIT_API must be a whole number'],
    [{ VERIHUB_RATE_LIMIT_WINDOW_SECONDS: '0' }, 'VERIHUB_RATE_LIMIT_WINDOW_SECONDS must be a whole number of seconds'],
    [{ VERIHUB_AUDIT_URL: 'audit:3001' }, 'VERIHUB_AUDIT_URL must be an http(s) URL'],
    [{ VERIHUB_AUDIT_URL: 'http://audit:3001/?x=1' }, 'VERIHUB_AUDIT_URL must be an http(s) URL'],
  ])('refuses %j', (env, message) => {
    expect(problemsOf({ ...REQUIRED, ...env })).toEqual([expect.stringContaining(message)]);
  });

  it('migrates without a JWT secret, with the data key when it is set (it encrypts rows written before)', () => {
    expect(migrateEnvironment({ DATABASE_URL: 'postgres://u@db/v' })).toEqual({ databaseUrl: 'postgres://u@db/v' });
    expect(migrateEnvironment({ DATABASE_URL: 'postgres://u@db/v', VERIHUB_DATA_ENCRYPTION_KEY: DATA_KEY })).toEqual({
      databaseUrl: 'postgres://u@db/v',
      dataEncryptionKey: DATA_KEY,
      previousDataEncryptionKeys: [],
    });
  });
});
