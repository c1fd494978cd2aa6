import { aggregatorOptionsFromEnv } from './aggregator-config';

describe('aggregatorOptionsFromEnv', () => {
  it('has defaults for everything', () => {
    const options = aggregatorOptionsFromEnv({});
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
    });
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
    expect(() => aggregatorOptionsFromEnv({ [name]: value })).toThrow(name);
  });
});
