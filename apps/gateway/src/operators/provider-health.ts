/**
 * How a provider's adapter is doing, from what the gateway's read model holds (pure; the table tests it).
 * Counts are of queries — one per verification and provider — over the last hour:
 * - answered: the provider answered (status answered or no_record), by its respondedAt;
 * - failed: it answered with an error;
 * - timedOut: the deadline passed without an answer (the verification was issued as partial).
 * `silent`: in the last hour it answered nothing (not even an error) while queries to it timed out;
 * otherwise `up` (a provider nobody asked is not known to be down).
 */
export interface ProviderCounts {
  provider: string;
  answeredLastHour: number;
  failedLastHour: number;
  timedOutLastHour: number;
  lastAnsweredAt: Date | null;
}

export type AdapterStatus = 'up' | 'silent';

export interface ProviderHealth {
  provider: string;
  answeredLastHour: number;
  failedLastHour: number;
  timedOutLastHour: number;
  /** ISO 8601; null when it has not answered within LAST_ANSWER_LOOKBACK_HOURS. */
  lastAnsweredAt: string | null;
  status: AdapterStatus;
}

export const COUNT_WINDOW_MS = 60 * 60 * 1000;
/** How far back `lastAnsweredAt` looks (the query is bounded by verifications.updated_at). */
export const LAST_ANSWER_LOOKBACK_HOURS = 24;

export function statusOf(counts: Pick<ProviderCounts, 'answeredLastHour' | 'failedLastHour' | 'timedOutLastHour'>): AdapterStatus {
  return counts.answeredLastHour === 0 && counts.failedLastHour === 0 && counts.timedOutLastHour > 0 ? 'silent' : 'up';
}

export function noCounts(provider: string): ProviderCounts {
  return { provider, answeredLastHour: 0, failedLastHour: 0, timedOutLastHour: 0, lastAnsweredAt: null };
}

export function toHealth(counts: ProviderCounts): ProviderHealth {
  return {
    provider: counts.provider,
    answeredLastHour: counts.answeredLastHour,
    failedLastHour: counts.failedLastHour,
    timedOutLastHour: counts.timedOutLastHour,
    lastAnsweredAt: counts.lastAnsweredAt ? counts.lastAnsweredAt.toISOString() : null,
    status: statusOf(counts),
  };
}
