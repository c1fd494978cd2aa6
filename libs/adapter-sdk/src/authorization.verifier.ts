/**
 * 先授权、后核对 / 无委托、不核对: every member asked about must be covered by an authorization
 * reference (same identity number, a document reference, signed in the past, not expired). The adapter
 * refuses a request that is not fully covered, without reading any data.
 */
import type { AuthorizationRef, QueryRequested } from '@verihub/contracts';
import { isZonedDateTime } from '@verihub/domain';
import { describeId } from './query-request.rules';
import type { RequestRefusal, RequestVerifier, VerificationContext } from './request-verifier';

const NO_REFERENCE = 'no authorization reference for this member';

export class AuthorizationVerifier implements RequestVerifier {
  verify(request: QueryRequested, context: VerificationContext): RequestRefusal | undefined {
    const problems: string[] = [];
    let unreferenced = false;
    const seen = new Set<string>();
    for (const member of request.members) {
      if (seen.has(member.idNumber)) continue;
      seen.add(member.idNumber);
      const problem = authorizationProblem(member.idNumber, request.authorizations, context.now);
      if (problem) problems.push(`member ${describeId(member.idNumber)}: ${problem}`);
      if (problem === NO_REFERENCE) unreferenced = true;
    }
    if (problems.length === 0) return undefined;
    return {
      code: 'UNAUTHORIZED',
      reason: `${problems.join('; ')} (无委托、不核对)`,
      category: unreferenced ? 'authorization_missing' : 'authorization_invalid',
    };
  }
}

/** Why no authorization covers this person, or undefined when one does. */
export function authorizationProblem(idNumber: string, authorizations: AuthorizationRef[], now: Date): string | undefined {
  const candidates = authorizations.filter((a) => a.idNumber === idNumber);
  if (candidates.length === 0) return NO_REFERENCE;
  const problems = candidates.map((a) => refProblem(a, now));
  if (problems.some((p) => p === undefined)) return undefined;
  return [...new Set(problems)].join(', ');
}

function refProblem(auth: AuthorizationRef, now: Date): string | undefined {
  if (auth.documentRef.trim() === '') return 'authorization has no document reference';
  if (!isZonedDateTime(auth.signedAt)) return 'authorization signed-at is not a date-time with offset';
  if (Date.parse(auth.signedAt) > now.getTime()) return 'authorization is signed in the future';
  if (!isZonedDateTime(auth.expiresAt)) return 'authorization expires-at is not a date-time with offset';
  if (Date.parse(auth.expiresAt) <= now.getTime()) return `authorization expired at ${auth.expiresAt}`;
  return undefined;
}
