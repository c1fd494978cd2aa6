import { noCounts, statusOf, toHealth } from './provider-health';

describe('provider health', () => {
  it.each([
    [0, 0, 0, 'up'],
    [3, 0, 1, 'up'],
    [0, 1, 4, 'up'],
    [0, 0, 2, 'silent'],
  ] as const)('answered %i, failed %i, timed out %i → %s', (answeredLastHour, failedLastHour, timedOutLastHour, status) => {
    expect(statusOf({ answeredLastHour, failedLastHour, timedOutLastHour })).toBe(status);
  });

  it('shows times as ISO 8601 and no answer as null', () => {
    expect(toHealth(noCounts('bank:ICBC'))).toEqual({
      provider: 'bank:ICBC',
      answeredLastHour: 0,
      failedLastHour: 0,
      timedOutLastHour: 0,
      lastAnsweredAt: null,
      status: 'up',
    });
    expect(toHealth({ ...noCounts('tax'), answeredLastHour: 1, lastAnsweredAt: new Date('2026-11-23T02:00:00Z') }).lastAnsweredAt).toBe('2026-11-23T02:00:00.000Z');
  });
});
