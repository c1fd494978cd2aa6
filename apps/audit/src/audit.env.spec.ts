import { DEFAULT_ANOMALY_THRESHOLDS } from '@verihub/domain';
import { InvalidEnvironmentError, auditEnvironment } from './audit.env';
import { resolveAnomalyThresholds } from './audit-options';

const SECRET = 's'.repeat(32);
const KEY = 'k'.repeat(32);
const base = { VERIHUB_JWT_SECRET: SECRET, VERIHUB_IDENTITY_HASH_KEY: KEY };

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    auditEnvironment(env);
    return [];
  } catch (err) {
    if (err instanceof InvalidEnvironmentError) return err.problems;
    throw err;
  }
}

describe('audit environment', () => {
  it('has defaults for everything but the two secrets', () => {
    const options = auditEnvironment(base);
    expect(options).toMatchObject({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/verihub',
      port: 3001,
      jwtSecret: SECRET,
      identityHashKey: KEY,
      anomalyThresholds: {},
      messaging: { transport: 'kafka', brokers: ['127.0.0.1:9092'], clientId: 'verihub-audit', groupId: 'verihub-audit' },
    });
    expect(resolveAnomalyThresholds(options.anomalyThresholds)).toEqual(DEFAULT_ANOMALY_THRESHOLDS);
  });

  it('reads the port, transport and thresholds', () => {
    const options = auditEnvironment({
      ...base,
      AUDIT_PORT: '4001',
      VERIHUB_TRANSPORT: 'in-process',
      AUDIT_BURST_COUNT: '50',
      AUDIT_BURST_WINDOW_MINUTES: '5',
      AUDIT_WORKDAY_START_HOUR: '9',
    });
    expect(options.port).toBe(4001);
    expect(options.messaging.transport).toBe('in-process');
    expect(resolveAnomalyThresholds(options.anomalyThresholds)).toMatchObject({
      burst: { count: 50, windowMinutes: 5 },
      afterHours: { count: 1, workdayStartHour: 9, workdayEndHour: 19 },
    });
  });

  it.each<[string, NodeJS.ProcessEnv, string]>([
    ['no JWT secret', { VERIHUB_IDENTITY_HASH_KEY: KEY }, 'VERIHUB_JWT_SECRET is required'],
    ['a short JWT secret', { ...base, VERIHUB_JWT_SECRET: 'short' }, 'VERIHUB_JWT_SECRET must be at least 32 characters'],
    ['no identity hash key', { VERIHUB_JWT_SECRET: SECRET }, 'VERIHUB_IDENTITY_HASH_KEY is required'],
    ['a short identity hash key', { ...base, VERIHUB_IDENTITY_HASH_KEY: 'k'.repeat(31) }, 'VERIHUB_IDENTITY_HASH_KEY must be at least 32 characters'],
    ['a port that is not a number', { ...base, AUDIT_PORT: 'http' }, 'AUDIT_PORT must be a whole number'],
    ['a port out of range', { ...base, AUDIT_PORT: '70000' }, 'AUDIT_PORT must be a TCP port number'],
    ['a threshold that is not a number', { ...base, AUDIT_BURST_COUNT: 'many' }, 'AUDIT_BURST_COUNT must be a whole number'],
    ['a zero threshold', { ...base, AUDIT_REPEATED_PERSON_COUNT: '0' }, 'repeatedPerson.count must be a whole number ≥ 1'],
    ['working hours that end before they start', { ...base, AUDIT_WORKDAY_START_HOUR: '20' }, 'afterHours working hours'],
    ['an unknown transport', { ...base, VERIHUB_TRANSPORT: 'carrier-pigeon' }, 'VERIHUB_TRANSPORT must be'],
    ['a database URL of another kind', { ...base, DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a postgres:// URL'],
  ])('names %s', (_, env, problem) => {
    expect(problemsOf(env)).toEqual([expect.stringContaining(problem)]);
  });

  it('never repeats a secret in its messages', () => {
    const problems = problemsOf({ VERIHUB_JWT_SECRET: 'short-secret-value', VERIHUB_IDENTITY_HASH_KEY: 'short-key-value' });
    expect(problems.join('\n')).not.toMatch(/short-secret-value|short-key-value/);
  });
});
