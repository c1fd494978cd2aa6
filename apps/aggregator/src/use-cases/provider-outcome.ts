import type { DepartmentRecord } from '@verihub/domain';

/** What a provider said about one request: its records, or why it could not answer. */
export type ProviderOutcome =
  | {
      kind: 'answered';
      requestId: string;
      verificationId: string;
      provider: string;
      /** The provider's own answer time, when it gave a valid one. */
      answeredAt: Date | null;
      records: DepartmentRecord[];
      notFound: string[];
      signature: string | null;
      /** Id of the provider's registered key the signature was verified with (null: not verified here). */
      keyId?: string | null;
    }
  | {
      /** An answer or failure without a valid signature of the provider's registered key: nothing of it is believed. */
      kind: 'rejected';
      requestId: string;
      verificationId: string;
      provider: string;
      /** signatureRejectionReason(...) */
      reason: string;
    }
  | {
      kind: 'failed';
      requestId: string;
      verificationId: string;
      provider: string;
      /** The provider's own failure time, when it gave a valid one. */
      failedAt: Date | null;
      reason: string;
    };

/**
 * - recorded: the request's status changed; when the round is over, its first report version was issued
 *   (reportVersion), or — the round's report being out already — a new version is due (reportDue);
 * - duplicate: the request already had its answer; nothing changed;
 * - ignored: the request was stopped (not_queried, e.g. authorization revoked); the outcome is not applied.
 */
export type RecordAnswerResult =
  | { result: 'recorded'; late: boolean; reportVersion: number | null; reportDue: boolean }
  | { result: 'duplicate' }
  | { result: 'ignored' };
