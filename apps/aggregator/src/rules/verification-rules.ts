/**
 * The aggregator's own rules, pure: what a verification's status is given its provider requests,
 * when a request is overdue or an answer late, and how reports are numbered.
 */
import { todayInShanghai } from '@verihub/domain';

export const PROVIDER_REQUEST_STATUSES = ['pending', 'answered', 'no_record', 'timeout', 'error', 'not_queried'] as const;
export type ProviderRequestStatus = (typeof PROVIDER_REQUEST_STATUSES)[number];

export type VerificationState = 'pending' | 'complete' | 'partial';

export const DEFAULT_PROVIDER_DEADLINE_MS = 30_000;
export const DEFAULT_SWEEP_INTERVAL_MS = 1_000;

/**
 * `pending` while any provider of the round has not answered and its deadline has not been enforced;
 * `complete` when every provider answered (with records or with none); `partial` when the round is over
 * and some provider timed out, failed or was not queried.
 */
export function verificationStateOf(statuses: readonly ProviderRequestStatus[]): VerificationState {
  if (statuses.length === 0 || statuses.some((s) => s === 'pending')) return 'pending';
  return statuses.every((s) => s === 'answered' || s === 'no_record') ? 'complete' : 'partial';
}

/** The instant after which a provider's answer is late (and the sweeper marks the request timeout). */
export function deadlineFor(requestedAt: Date, deadlineMs: number): Date {
  if (!Number.isInteger(deadlineMs) || deadlineMs <= 0) throw new Error(`provider deadline must be a positive number of ms`);
  return new Date(requestedAt.getTime() + deadlineMs);
}

/** An answer received after the deadline is late (it is still recorded). */
export function isLate(receivedAt: Date, deadline: Date): boolean {
  return receivedAt.getTime() > deadline.getTime();
}

/**
 * The report number of a verification, stable across its versions: `HC-<yyyymmdd>-<first 8 of id>`,
 * the date being the day it was requested in Asia/Shanghai.
 */
export function reportNumberFor(verificationId: string, requestedAt: Date): string {
  const day = todayInShanghai(requestedAt).replace(/-/g, '');
  return `HC-${day}-${verificationId.replace(/-/g, '').slice(0, 8).toUpperCase()}`;
}

/** ISO 8601 in Asia/Shanghai time with its offset: 2026-11-01T09:30:00.000+08:00. */
export function shanghaiIso(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().replace('Z', '+08:00');
}

/** Why a report version exists, in the words VerificationUpdated.change_reason and report_versions carry. */
export const ChangeReasons = {
  firstIssue: 'first issue',
  lateAnswer: (provider: string) => `late answer from ${provider}`,
  lateFailure: (provider: string) => `late failure from ${provider}`,
  recheck: (reason: string) => `re-check: ${reason}`,
} as const;

/** Why the first report of a round is issued: the first issue, or the re-check that started the round. */
export function changeReasonForRound(previousVersion: number, recheckReason: string | null): string {
  if (previousVersion === 0) return ChangeReasons.firstIssue;
  return ChangeReasons.recheck(recheckReason ?? 'requested');
}
