/**
 * Lockout after repeated failed sign-ins (issue 4 item 4): after `maxFailures` consecutive failures for a
 * username, sign-in with that username is refused for `lockSeconds` — with the right password too — and
 * then starts afresh. Accounts keep their counter in gateway.users (a restart unlocks nobody); usernames
 * without an active account keep theirs here, in memory, so that they behave exactly alike.
 */
export interface SignInLockoutOptions {
  /** VERIHUB_LOGIN_MAX_FAILURES, default 5. */
  maxFailures: number;
  /** VERIHUB_LOGIN_LOCK_MINUTES × 60, default 900. */
  lockSeconds: number;
}

export const DEFAULT_SIGN_IN_LOCKOUT: SignInLockoutOptions = { maxFailures: 5, lockSeconds: 15 * 60 };

interface Attempts {
  failures: number;
  lockedUntil?: number;
}

/**
 * Failed sign-ins for usernames that have no active account. Bounded: past `capacity` usernames the
 * oldest entry is dropped (a flood of made-up usernames cannot exhaust memory; the per-IP rate limit
 * bounds how fast one client can make them up).
 */
export class UnknownUsernameAttempts {
  private readonly entries = new Map<string, Attempts>();

  constructor(
    private readonly options: SignInLockoutOptions,
    private readonly capacity = 10_000,
  ) {}

  /** The end of the lock on this username, when one is in force at `now`. */
  lockedUntil(username: string, now: Date): Date | undefined {
    const entry = this.entries.get(username);
    if (entry?.lockedUntil === undefined) return undefined;
    if (entry.lockedUntil > now.getTime()) return new Date(entry.lockedUntil);
    this.entries.delete(username);
    return undefined;
  }

  recordFailure(username: string, now: Date): void {
    const entry = this.entries.get(username) ?? { failures: 0 };
    this.entries.delete(username); // re-inserted last: the Map's order is the eviction order
    entry.failures += 1;
    if (entry.failures >= this.options.maxFailures) {
      entry.failures = 0;
      entry.lockedUntil = now.getTime() + this.options.lockSeconds * 1000;
    }
    this.entries.set(username, entry);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}
