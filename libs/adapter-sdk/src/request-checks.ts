/**
 * Everything a request must pass before the department's data is read, in order: the request rules
 * (INVALID_REQUEST), the authorization check (UNAUTHORIZED; always, it is the law), then any further
 * verifiers the adapter was given (signed query tokens). The first refusal wins.
 */
import type { QueryRequested } from '@verihub/contracts';
import { AuthorizationVerifier } from './authorization.verifier';
import { checkQueryRequest } from './query-request.rules';
import type { RequestRefusal, RequestVerifier, VerificationContext } from './request-verifier';

const authorization = new AuthorizationVerifier();

export async function checkBeforeLookup(
  request: QueryRequested,
  context: VerificationContext,
  extraVerifiers: readonly RequestVerifier[] = [],
): Promise<RequestRefusal | undefined> {
  const invalid = checkQueryRequest(request, context.now);
  if (invalid) return invalid;
  for (const verifier of [authorization, ...extraVerifiers]) {
    const refusal = await verifier.verify(request, context);
    if (refusal) return refusal;
  }
  return undefined;
}
