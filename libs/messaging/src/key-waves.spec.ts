import { isBatchLaneTopic, keyWaves } from './key-waves';

describe('keyWaves', () => {
  const key = (m: string) => m[0];

  it('keeps log order and never puts one key twice in a wave', () => {
    expect(keyWaves(['a1', 'b1', 'c1', 'a2', 'd1', 'b2'], 10, key)).toEqual([['a1', 'b1', 'c1'], ['a2', 'd1', 'b2']]);
  });

  it('caps a wave at the limit', () => {
    expect(keyWaves(['a', 'b', 'c', 'd', 'e'], 2, key)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('gives one message per wave when every message has the same key, and nothing for nothing', () => {
    expect(keyWaves(['x1', 'x2', 'x3'], 16, key)).toEqual([['x1'], ['x2'], ['x3']]);
    expect(keyWaves([], 16, key)).toEqual([]);
  });

  it('every message appears exactly once, in order, for any input', () => {
    for (let seed = 1; seed < 200; seed++) {
      const messages = Array.from({ length: seed % 37 }, (_, i) => `${'abcde'[(seed * (i + 3)) % 5]}${i}`);
      const waves = keyWaves(messages, 1 + (seed % 7), key);
      expect(waves.flat()).toEqual(messages);
      for (const wave of waves) expect(new Set(wave.map(key)).size).toBe(wave.length);
    }
  });
});

describe('isBatchLaneTopic', () => {
  it('recognises the batch lane by its segment', () => {
    expect(isBatchLaneTopic('verihub.provider.tax.query-requested.batch.v1')).toBe(true);
    expect(isBatchLaneTopic('verihub.provider.tax.query-requested.v1')).toBe(false);
    expect(isBatchLaneTopic('verihub.deadletter.v1')).toBe(false);
  });
});
