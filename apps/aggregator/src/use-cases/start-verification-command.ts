/** What starts a verification or a re-check round (a VerificationRequested, read), and what became of it. */
import type { Authorization, Declaration, HouseholdMember, PolicyVersion } from '@verihub/domain';

export interface StartVerificationCommand {
  verificationId: string;
  program: string;
  purpose: string;
  regionCode: string;
  /** "YYYY-MM-DD" */
  asOf: string;
  /** Empty only in a re-check that keeps the household as it was. */
  members: HouseholdMember[];
  authorizations: Authorization[];
  /** null: nothing declared (a re-check keeps the earlier declaration). */
  declared: Declaration | null;
  /** null only in a re-check that keeps the policy. */
  policy: PolicyVersion | null;
  interactive: boolean;
  /** Identifies this request together with the verification id: a redelivery has the same instant. */
  requestedAt: Date;
  requestedBy: string;
  /** Set for a re-check of an existing verification (objection, review). */
  recheckReason: string | null;
}

export type StartVerificationResult = 'started' | 'recheck_started' | 'duplicate';
