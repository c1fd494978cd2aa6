import { aggregatorSettingsOf } from './aggregator-options';

const base = { databaseUrl: 'postgres://x', messaging: { transport: 'in-process' as const, brokers: [], clientId: 'a', groupId: 'a' } };

describe('aggregatorSettingsOf', () => {
  it('asks the four core departments and every registered bank', () => {
    const settings = aggregatorSettingsOf({ ...base, bankCodes: ['icbc', 'BOC', 'ICBC'] });
    expect(settings.providers.map((p) => p.id)).toEqual(['public-security', 'tax', 'housing', 'provident-fund', 'bank:ICBC', 'bank:BOC']);
    expect(settings).toMatchObject({
      providerDeadlineMs: 30_000,
      sweepIntervalMs: 1_000,
      sweepBatchSize: 100,
      sweepStartupGraceMs: 5_000,
      lateAnswerWindowMs: 2_000,
    });
  });

  it('asks no bank when none is registered', () => {
    expect(aggregatorSettingsOf({ ...base, bankCodes: [] }).providers.map((p) => p.id)).toEqual([
      'public-security',
      'tax',
      'housing',
      'provident-fund',
    ]);
  });

  it('refuses a bank code or a duration that cannot be right', () => {
    expect(() => aggregatorSettingsOf({ ...base, bankCodes: ['bank of nowhere'] })).toThrow(/bank code/);
    expect(() => aggregatorSettingsOf({ ...base, bankCodes: [], providerDeadlineMs: 0 })).toThrow(/providerDeadlineMs/);
    expect(() => aggregatorSettingsOf({ ...base, bankCodes: [], sweepIntervalMs: 2.5 })).toThrow(/sweepIntervalMs/);
    expect(() => aggregatorSettingsOf({ ...base, bankCodes: [], sweepStartupGraceMs: -1 })).toThrow(/sweepStartupGraceMs/);
    expect(() => aggregatorSettingsOf({ ...base, bankCodes: [], lateAnswerWindowMs: 0.5 })).toThrow(/lateAnswerWindowMs/);
  });

  it('allows no catch-up grace and no late-answer window', () => {
    expect(aggregatorSettingsOf({ ...base, bankCodes: [], sweepStartupGraceMs: 0, lateAnswerWindowMs: 0 })).toMatchObject({
      sweepStartupGraceMs: 0,
      lateAnswerWindowMs: 0,
    });
  });
});
