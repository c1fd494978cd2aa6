import { logLevelsFromEnv } from './log-levels';

describe('logLevelsFromEnv', () => {
  it('prints log and more severe by default, debug lines only when asked', () => {
    expect(logLevelsFromEnv({})).toEqual(['fatal', 'error', 'warn', 'log']);
    expect(logLevelsFromEnv({ VERIHUB_LOG_LEVEL: 'debug' })).toContain('debug');
    expect(logLevelsFromEnv({ VERIHUB_LOG_LEVEL: 'WARN' })).toEqual(['fatal', 'error', 'warn']);
  });

  it('names the setting when the level is unknown', () => {
    expect(() => logLevelsFromEnv({ VERIHUB_LOG_LEVEL: 'chatty' })).toThrow(/VERIHUB_LOG_LEVEL must be one of/);
  });
});
