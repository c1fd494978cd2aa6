import { aggregatorSettingsOf } from './aggregator-options';

const base = { databaseUrl: 'postgres://x', messaging: { transport: 'in-process' as const, brokers: [], clientId: 'a', groupId: 'a' } };

describe('aggregatorSettingsOf', () => {
  it('asks the four core departments and every registered bank', () => {
    const settings = aggregatorSettingsOf({ ...base, bankCodes: ['icbc', 'BOC', 'ICBC'] });
    expect(settings.providers.map((p) => p.id)).toEqual(['public-security', 'tax', 'housing', 'provident-fund', 'bank:ICBC', 'bank:BOC']);
    expect(settings).toMatchObject({ providerDeadlineMs: 30_000, sweepIntervalMs: 1_000, sweepBatchSize: 100 });
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
  });
});
