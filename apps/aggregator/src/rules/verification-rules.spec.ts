import {
  type ProviderRequestStatus,
  changeReasonForRound,
  deadlineFor,
  isLate,
  reportNumberFor,
  shanghaiIso,
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
