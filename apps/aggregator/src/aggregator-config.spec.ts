import { testAggregatorKeys } from '@verihub/domain/consent/testing/test-keys';
import { aggregatorOptionsFromEnv } from './aggregator-config';

const keys = testAggregatorKeys(['ICBC', 'CCB', 'BOC', 'ABC']);
/** The keys every start needs (`npm run verihub -- keys generate`). */
const KEY_ENV = {
  VERIHUB_QUERY_SIGNING_KEY: keys.querySigningKey,
  VERIHUB_IDENTITY_HASH_KEY: keys.identityHashKey,
  VERIHUB_PROVIDER_KEYS: JSON.stringify(keys.providerKeys),
  VERIHUB_DATA_ENCRYPTION_KEY: keys.dataEncryptionKey,
};

describe('aggregatorOptionsFromEnv', () => {
  it('has defaults for everything', () => {
    const options = aggregatorOptionsFromEnv(KEY_ENV);
    expect(options).toMatchObject({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/verihub',
      bankCodes: ['ICBC', 'CCB', 'BOC', 'ABC'],
      providerDeadlineMs: 30_000,
      sweepIntervalMs: 1_000,
      sweepStartupGraceMs: 5_000,
      lateAnswerWindowMs: 2_000,
      messaging: { transport: 'kafka', brokers: ['127.0.0.1:9092'], groupId: 'verihub-aggregator' },
    });
  });

  it('reads every variable', () => {
    const options = aggregatorOptionsFromEnv({
      ...KEY_ENV,
      DATABASE_URL: 'postgres://u@db:5432/x',
      VERIHUB_TRANSPORT: 'in-process',
      KAFKA_BROKERS: 'k1:9092,k2:9092',
      VERIHUB_BANKS: 'icbc, boc',
      PROVIDER_DEADLINE_MS: '5000',
      SWEEP_INTERVAL_MS: '250',
      SWEEP_STARTUP_GRACE_MS: '0',
      LATE_ANSWER_WINDOW_MS: '1500',
    });
    expect(options).toMatchObject({
      databaseUrl: 'postgres://u@db:5432/x',
      bankCodes: ['ICBC', 'BOC'],
      providerDeadlineMs: 5000,
      sweepIntervalMs: 250,
      sweepStartupGraceMs: 0,
      lateAnswerWindowMs: 1500,
      messaging: { transport: 'in-process', brokers: ['k1:9092', 'k2:9092'] },
      querySigningKey: keys.querySigningKey,
      identityHashKey: keys.identityHashKey,
      providerKeys: keys.providerKeys,
      dataEncryptionKey: keys.dataEncryptionKey,
      previousDataEncryptionKeys: [],
    });
  });

  it('reads the previous data keys of a rotation', () => {
    const previous = ['11'.repeat(32), Buffer.alloc(32, 3).toString('base64')];
    expect(aggregatorOptionsFromEnv({ ...KEY_ENV, VERIHUB_DATA_ENCRYPTION_PREVIOUS_KEYS: ` ${previous.join(' , ')} ` }).previousDataEncryptionKeys).toEqual(previous);
  });

  it.each([
    ['PROVIDER_DEADLINE_MS', '0'],
    ['PROVIDER_DEADLINE_MS', '30s'],
    ['SWEEP_INTERVAL_MS', '-1'],
    ['SWEEP_INTERVAL_MS', '1.5'],
    ['SWEEP_INTERVAL_MS', '0'],
    ['SWEEP_STARTUP_GRACE_MS', '-5'],
    ['SWEEP_STARTUP_GRACE_MS', '5s'],
    ['LATE_ANSWER_WINDOW_MS', '1e3'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => aggregatorOptionsFromEnv({ ...KEY_ENV, [name]: value })).toThrow(name);
  });

  it.each([
    ['VERIHUB_QUERY_SIGNING_KEY', ''],
    ['VERIHUB_IDENTITY_HASH_KEY', ''],
    ['VERIHUB_PROVIDER_KEYS', ''],
    ['VERIHUB_PROVIDER_KEYS', '{"tax": 1}'],
    ['VERIHUB_PROVIDER_KEYS', 'tax=abc'],
    ['VERIHUB_DATA_ENCRYPTION_KEY', ''],
  ])('refuses %s="%s", naming the variable', (name, value) => {
    expect(() => aggregatorOptionsFromEnv({ ...KEY_ENV, [name]: value })).toThrow(name);
  });
});
