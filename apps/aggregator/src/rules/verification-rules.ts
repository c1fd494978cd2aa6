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
export const DEFAULT_SWEEP_STARTUP_GRACE_MS = 5_000;
export const DEFAULT_LATE_ANSWER_WINDOW_MS = 2_000;

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

/**
 * The reason recorded on a request whose answer (or failure) carried no valid signature of its provider's
 * registered key. Unambiguous: a provider's own failure reasons are always prefixed with their code.
 */
export function signatureRejectionReason(problem: 'missing' | 'invalid'): string {
  return `answer signature ${problem}`;
}

/** Whether a request's error is a rejected signature (a later, validly signed outcome may still replace it). */
export function isSignatureRejection(reason: string | null): boolean {
  return reason !== null && /^answer signature (missing|invalid)$/.test(reason);
}

/** An answer given after the deadline is late (it is still recorded). */
export function isLate(givenAt: Date, deadline: Date): boolean {
  return givenAt.getTime() > deadline.getTime();
}

/**
 * When a provider gave its answer (or failure), which is what lateness is judged on: the time the provider
 * stated in it — an answer given in time stays in time however long the transport held it (a restarted
 * consumer, a rebalance) — but never later than it was received (a provider's clock running ahead cannot
 * make an answer late); the reception time when the provider stated none. The other way round is trusted: a
 * provider whose clock runs behind can have a late answer count as in time — its answer time is its own
 * (signed) statement, as the report's sources show.
 */
export function givenAt(statedAt: Date | null, receivedAt: Date): Date {
  if (!statedAt || Number.isNaN(statedAt.getTime())) return receivedAt;
  return statedAt.getTime() < receivedAt.getTime() ? statedAt : receivedAt;
}

/**
 * Whether the deadline sweeper may act at `now`: only when this instance's consumer is consuming and has
 * been for `graceMs` — the answers that waited in the transport while nobody consumed them (a restart after
 * a crash, a rebalance) are read first, instead of their providers being marked `timeout` when they have
 * answered.
 */
export function sweeperMayRun(consumingSince: number | null, now: number, graceMs: number): boolean {
  return consumingSince !== null && now - consumingSince >= graceMs;
}

/** A provider's outcome received after its request was marked `timeout` and the round reported. */
export interface OutcomeAfterReport {
  provider: string;
  outcome: 'answer' | 'failure';
  /** Given after the deadline (see givenAt); false: given in time, received after the deadline. */
  late: boolean;
}

/**
 * The providers whose status changed since the previous report version: what a version issued for late
 * answers includes. Pending requests are not reported.
 */
export function sourcesChangedSince<T extends { provider: string; status: string }>(
  previous: readonly { provider: string; status: string }[],
  current: readonly T[],
): T[] {
  const before = new Map(previous.map((s) => [s.provider, s.status]));
  return current.filter((s) => s.status !== 'pending' && before.get(s.provider) !== s.status);
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
  /**
   * Every outcome one version includes, grouped: "late answers from tax, housing; late failure from
   * bank:CCB; answer from public-security given in time, received after the deadline".
   */
  afterReport: (outcomes: readonly OutcomeAfterReport[]): string => {
    const group = (outcome: OutcomeAfterReport['outcome'], late: boolean) =>
      outcomes.filter((o) => o.outcome === outcome && o.late === late).map((o) => o.provider);
    const phrase = (noun: string, providers: string[], prefix: string, suffix: string) =>
      providers.length === 0 ? [] : [`${prefix}${noun}${providers.length > 1 ? 's' : ''} from ${providers.join(', ')}${suffix}`];
    const parts = [
      ...phrase('answer', group('answer', true), 'late ', ''),
      ...phrase('failure', group('failure', true), 'late ', ''),
      ...phrase('answer', group('answer', false), '', ' given in time, received after the deadline'),
      ...phrase('failure', group('failure', false), '', ' given in time, received after the deadline'),
    ];
    return parts.length > 0 ? parts.join('; ') : 'late answers';
  },
  recheck: (reason: string) => `re-check: ${reason}`,
  /** The member's authorization was revoked: the queries still pending were stopped (not_queried). */
  authorizationRevoked: 'authorization revoked',
} as const;

/** The reason on a provider request stopped because a member's authorization was revoked. */
export const AUTHORIZATION_REVOKED_REASON = 'authorization revoked';

/** Why the first report of a round is issued: the first issue, or the re-check that started the round. */
export function changeReasonForRound(previousVersion: number, recheckReason: string | null): string {
  if (previousVersion === 0) return ChangeReasons.firstIssue;
  return ChangeReasons.recheck(recheckReason ?? 'requested');
}
