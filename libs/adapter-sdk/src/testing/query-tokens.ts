/** Query tokens for tests: what the aggregator would attach to a request (test keys of libs/domain). */
import type { QueryRequested } from '@verihub/contracts';
import { parsePrivateKey, queryTokenClaimsFor, signQueryToken, type QueryTokenClaims } from '@verihub/domain';
import { TEST_IDENTITY_HASH_KEY, testQueryKeys } from '@verihub/domain/consent/testing/test-keys';

/** A token for this request, issued at `now` (deadline: the request's, else now + 30 s), optionally altered. */
export function queryTokenFor(
  request: QueryRequested,
  now: Date,
  options: { signingKey?: string; claims?: Partial<QueryTokenClaims> } = {},
): string {
  const deadline = request.deadline ? new Date(request.deadline) : new Date(now.getTime() + 30_000);
  const claims = queryTokenClaimsFor(
    {
      provider: request.provider,
      verificationId: request.verificationId,
      requestId: request.requestId,
      purpose: request.purpose,
      program: request.program,
      idNumbers: request.members.map((m) => m.idNumber),
      deadline,
    },
    TEST_IDENTITY_HASH_KEY,
    now,
  );
  return signQueryToken({ ...claims, ...options.claims }, parsePrivateKey(options.signingKey ?? testQueryKeys().privateKey));
}

/** The request with a valid token attached. */
export function withQueryToken(request: QueryRequested, now: Date): QueryRequested {
  return { ...request, queryToken: queryTokenFor(request, now) };
}
