/**
 * Checks a decoded request must pass before the department's data is touched (先授权、后核对).
 * The SDK always runs the request rules and the authorization check; a later issue adds a verifier of
 * signed query tokens through the same interface (AdapterOptions.verifiers).
 */
import type { QueryRequested } from '@verihub/contracts';
import type { RefusalCategory } from './adapter-audit';

export type RefusalCode = 'UNAUTHORIZED' | 'INVALID_REQUEST';

export interface RequestRefusal {
  code: RefusalCode;
  /** Names the member by masked identity number and the rule broken; never a raw identity number or name. */
  reason: string;
  /** How the audit log files the refusal (default: invalid_request, or refused_by_verifier for UNAUTHORIZED). */
  category?: RefusalCategory;
}

export interface VerificationContext {
  /** The provider this adapter answers for. */
  provider: string;
  now: Date;
}

export interface RequestVerifier {
  /** Resolves to a refusal, or undefined to let the request through to the next check. */
  verify(request: QueryRequested, context: VerificationContext): RequestRefusal | undefined | Promise<RequestRefusal | undefined>;
}
