/**
 * The adapter's check of the aggregator's query token (always on, right after the authorization check):
 * a request is answered only with a valid token signed by the aggregator's key for this provider, this
 * verification, this request id and exactly these members (by keyed hash). A component that can write to
 * the request topic but holds no key cannot make the adapter read its data.
 */
import type { KeyObject } from 'node:crypto';
import type { QueryRequested } from '@verihub/contracts';
import { memberHashes, verifyQueryToken } from '@verihub/domain';
import { queryTokenRefusalCategory } from './adapter-audit';
import type { RequestRefusal, RequestVerifier, VerificationContext } from './request-verifier';

export class QueryTokenVerifier implements RequestVerifier {
  constructor(
    private readonly aggregatorKey: KeyObject,
    private readonly identityHashKey: string | Buffer,
  ) {}

  verify(request: QueryRequested, context: VerificationContext): RequestRefusal | undefined {
    const check = verifyQueryToken(
      request.queryToken,
      this.aggregatorKey,
      {
        provider: context.provider,
        verificationId: request.verificationId,
        requestId: request.requestId,
        memberHashes: memberHashes(
          request.members.map((m) => m.idNumber),
          this.identityHashKey,
        ),
        purpose: request.purpose,
        program: request.program,
      },
      context.now,
    );
    if (check.ok) return undefined;
    return { code: 'UNAUTHORIZED', reason: `query token ${check.reason} (无委托、不核对)`, category: queryTokenRefusalCategory(request.queryToken, check.reason) };
  }
}
