import { generateSigningKeyPair } from '@verihub/domain';
import { testAggregatorKeys } from '@verihub/domain/consent/testing/test-keys';
import { aggregatorSettingsOf } from './aggregator-options';

const base = {
  databaseUrl: 'postgres://x',
  messaging: { transport: 'in-process' as const, brokers: [], clientId: 'a', groupId: 'a' },
  ...testAggregatorKeys(['ICBC', 'BOC']),
};

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

  it('needs the query signing key, a long identity hash key and a public key for every provider asked', () => {
    const keys = testAggregatorKeys(['ICBC']);
    const settings = aggregatorSettingsOf({ ...base, bankCodes: ['ICBC'], ...keys });
    expect([...settings.consent.providerKeys.keys()]).toEqual(['public-security', 'tax', 'housing', 'provident-fund', 'bank:ICBC']);
    expect(() => aggregatorSettingsOf({ ...base, bankCodes: ['ICBC', 'CCB'], ...keys })).toThrow('VERIHUB_PROVIDER_KEYS) has no public key for bank:CCB');
    expect(() => aggregatorSettingsOf({ ...base, bankCodes: [], querySigningKey: '' })).toThrow(/VERIHUB_QUERY_SIGNING_KEY/);
    expect(() => aggregatorSettingsOf({ ...base, bankCodes: [], querySigningKey: generateSigningKeyPair().publicKey })).toThrow(/private key/);
    expect(() => aggregatorSettingsOf({ ...base, bankCodes: [], identityHashKey: 'short' })).toThrow(/VERIHUB_IDENTITY_HASH_KEY/);
    expect(() => aggregatorSettingsOf({ ...base, bankCodes: [], providerKeys: { ...keys.providerKeys, tax: 'bm90IGEga2V5' } })).toThrow(/for tax: not an Ed25519 public key/);
  });

  it('needs a 32-byte data encryption key (base64 or hex), never echoing it', () => {
    const hex = 'ab'.repeat(32);
    expect(aggregatorSettingsOf({ ...base, bankCodes: [], dataEncryptionKey: hex }).dataCipher.currentKeyId).toMatch(/^[0-9a-f]{16}$/);
    for (const bad of ['', 'ab'.repeat(16), Buffer.alloc(16, 1).toString('base64'), 'not a key at all, not at all, not at all!!']) {
      let message = '';
      try {
        aggregatorSettingsOf({ ...base, bankCodes: [], dataEncryptionKey: bad });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toContain('VERIHUB_DATA_ENCRYPTION_KEY');
      if (bad !== '') expect(message).not.toContain(bad);
    }
    expect(() => aggregatorSettingsOf({ ...base, bankCodes: [], previousDataEncryptionKeys: ['short'] })).toThrow(/VERIHUB_DATA_ENCRYPTION_PREVIOUS_KEYS/);
  });
});
