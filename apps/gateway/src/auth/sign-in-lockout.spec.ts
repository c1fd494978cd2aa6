import { UnknownUsernameAttempts } from './sign-in-lockout';

describe('failed sign-ins of usernames without an account', () => {
  const t0 = new Date('2026-11-23T08:00:00Z');
  const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

  it('locks a username at the 5th failure for the lock time, then starts afresh', () => {
    const attempts = new UnknownUsernameAttempts({ maxFailures: 5, lockSeconds: 60 });
    for (let i = 0; i < 4; i++) attempts.recordFailure('ghost', t0);
    expect(attempts.lockedUntil('ghost', t0)).toBeUndefined();
    attempts.recordFailure('ghost', t0);
    expect(attempts.lockedUntil('ghost', at(59))).toEqual(at(60));
    expect(attempts.lockedUntil('other', at(1))).toBeUndefined();
    expect(attempts.lockedUntil('ghost', at(60))).toBeUndefined();
    attempts.recordFailure('ghost', at(61));
    expect(attempts.lockedUntil('ghost', at(61))).toBeUndefined();
  });

  it('stays bounded: the oldest usernames are forgotten first', () => {
    const attempts = new UnknownUsernameAttempts({ maxFailures: 1, lockSeconds: 60 }, 3);
    for (const name of ['a', 'b', 'c', 'd']) attempts.recordFailure(name, t0);
    expect(attempts.size).toBe(3);
    expect(attempts.lockedUntil('a', t0)).toBeUndefined();
    expect(attempts.lockedUntil('d', t0)).toEqual(at(60));
  });
});
