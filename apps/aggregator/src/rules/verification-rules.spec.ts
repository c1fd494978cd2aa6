import {
  ChangeReasons,
  type ProviderRequestStatus,
  changeReasonForRound,
  deadlineFor,
  givenAt,
  isLate,
  reportNumberFor,
  shanghaiIso,
  sourcesChangedSince,
  sweeperMayRun,
  verificationStateOf,
} from './verification-rules';

describe('verificationStateOf', () => {
  it.each<[string, ProviderRequestStatus[], string]>([
    ['every provider answered', ['answered', 'answered', 'answered'], 'complete'],
    ['answers with and without records', ['answered', 'no_record', 'no_record'], 'complete'],
    ['one still pending', ['answered', 'pending', 'no_record'], 'pending'],
    ['one pending and one timed out', ['timeout', 'pending'], 'pending'],
    ['one timed out', ['answered', 'timeout', 'no_record'], 'partial'],
    ['one failed', ['answered', 'error'], 'partial'],
    ['one not queried', ['answered', 'not_queried'], 'partial'],
    ['all timed out', ['timeout', 'timeout'], 'partial'],
    ['no provider at all', [], 'pending'],
  ])('%s → %s', (_, statuses, expected) => {
    expect(verificationStateOf(statuses)).toBe(expected);
  });
});

describe('deadlines', () => {
  const requestedAt = new Date('2026-11-01T01:00:00.000Z');

  it('is the request time plus the provider deadline', () => {
    expect(deadlineFor(requestedAt, 30_000).toISOString()).toBe('2026-11-01T01:00:30.000Z');
  });

  it('refuses a deadline that is not a positive number of milliseconds', () => {
    expect(() => deadlineFor(requestedAt, 0)).toThrow();
    expect(() => deadlineFor(requestedAt, -5)).toThrow();
    expect(() => deadlineFor(requestedAt, 1.5)).toThrow();
  });

  it('counts an answer at the deadline as on time and one a millisecond later as late', () => {
    const deadline = deadlineFor(requestedAt, 30_000);
    expect(isLate(new Date('2026-11-01T01:00:30.000Z'), deadline)).toBe(false);
    expect(isLate(new Date('2026-11-01T01:00:30.001Z'), deadline)).toBe(true);
    expect(isLate(new Date('2026-11-01T01:00:10.000Z'), deadline)).toBe(false);
  });
});

describe('reportNumberFor', () => {
  it('is HC-, the request day in Shanghai and the first 8 characters of the id', () => {
    expect(reportNumberFor('3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b', new Date('2026-11-01T02:00:00Z'))).toBe('HC-20261101-3F2A9C1E');
  });

  it('takes the day in Shanghai, not in UTC', () => {
    // 17:30 UTC on 31 October is 01:30 on 1 November in Shanghai.
    expect(reportNumberFor('0000abcd-0000-4000-8000-000000000000', new Date('2026-10-31T17:30:00Z'))).toBe('HC-20261101-0000ABCD');
  });
});

describe('shanghaiIso', () => {
  it('writes the instant in UTC+8 with its offset', () => {
    const iso = shanghaiIso(new Date('2026-10-31T17:30:05.123Z'));
    expect(iso).toBe('2026-11-01T01:30:05.123+08:00');
    expect(new Date(iso).toISOString()).toBe('2026-10-31T17:30:05.123Z');
  });
});

describe('changeReasonForRound', () => {
  it('names the first issue, then the re-check that started a round', () => {
    expect(changeReasonForRound(0, null)).toBe('first issue');
    expect(changeReasonForRound(0, 'objection')).toBe('first issue');
    expect(changeReasonForRound(2, 'objection: wage record belongs to a namesake')).toBe(
      're-check: objection: wage record belongs to a namesake',
    );
  });
});

describe('givenAt (what lateness is judged on)', () => {
  const received = new Date('2026-11-01T01:00:40.000Z');

  it('is the time the provider stated, when it answered before the aggregator received it', () => {
    const stated = new Date('2026-11-01T01:00:05.000Z');
    expect(givenAt(stated, received)).toEqual(stated);
    // Given in time, delivered after the deadline (a restarted consumer): not late.
    expect(isLate(givenAt(stated, received), new Date('2026-11-01T01:00:30.000Z'))).toBe(false);
  });

  it('is never later than the reception (a provider clock running ahead cannot make an answer late)', () => {
    expect(givenAt(new Date('2026-11-01T01:05:00.000Z'), received)).toEqual(received);
  });

  it('is the reception time when the provider stated none', () => {
    expect(givenAt(null, received)).toEqual(received);
    expect(givenAt(new Date('not a date'), received)).toEqual(received);
  });
});

describe('sweeperMayRun', () => {
  it('waits while the consumer is not consuming', () => {
    expect(sweeperMayRun(null, 1_000_000, 5_000)).toBe(false);
    expect(sweeperMayRun(null, 1_000_000, 0)).toBe(false);
  });

  it('waits for the grace after the consumer started consuming, then runs', () => {
    expect(sweeperMayRun(1_000_000, 1_004_999, 5_000)).toBe(false);
    expect(sweeperMayRun(1_000_000, 1_005_000, 5_000)).toBe(true);
    expect(sweeperMayRun(1_000_000, 1_000_000, 0)).toBe(true);
  });
});

describe('sourcesChangedSince', () => {
  it('lists the providers whose status changed since the previous version, not those still pending', () => {
    const previous = [
      { provider: 'tax', status: 'timeout' },
      { provider: 'housing', status: 'timeout' },
      { provider: 'bank:ICBC', status: 'answered' },
      { provider: 'bank:CCB', status: 'timeout' },
    ];
    const current = [
      { provider: 'tax', status: 'answered', late: true },
      { provider: 'housing', status: 'timeout', late: false },
      { provider: 'bank:ICBC', status: 'answered', late: false },
      { provider: 'bank:CCB', status: 'error', late: true },
      { provider: 'civil-affairs', status: 'pending', late: false },
    ];
    expect(sourcesChangedSince(previous, current).map((s) => s.provider)).toEqual(['tax', 'bank:CCB']);
  });
});

describe('ChangeReasons.afterReport', () => {
  it('names one late answer as before', () => {
    expect(ChangeReasons.afterReport([{ provider: 'bank:ICBC', outcome: 'answer', late: true }])).toBe('late answer from bank:ICBC');
  });

  it('names every provider a version includes, grouped by what they sent', () => {
    expect(
      ChangeReasons.afterReport([
        { provider: 'tax', outcome: 'answer', late: true },
        { provider: 'housing', outcome: 'answer', late: true },
        { provider: 'bank:CCB', outcome: 'failure', late: true },
        { provider: 'public-security', outcome: 'answer', late: false },
        { provider: 'provident-fund', outcome: 'failure', late: false },
      ]),
    ).toBe(
      'late answers from tax, housing; late failure from bank:CCB; answer from public-security given in time, received after the deadline; ' +
        'failure from provident-fund given in time, received after the deadline',
    );
  });
});
