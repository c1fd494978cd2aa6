/**
 * The rules of a provider request (QueryRequested), pure and table-tested:
 * - envelope: what a message must carry to be answerable at all (else it is malformed: dead-lettered);
 * - request: identity numbers, income period and assets date (else INVALID_REQUEST);
 * Authorization has its own verifier (authorization.verifier.ts).
 */
import type { QueryRequested } from '@verihub/contracts';
import { checkIdentityNumber, isMonth, isRealDate, maskIdentityNumber, todayInShanghai } from '@verihub/domain';
import type { RequestRefusal } from './request-verifier';

/**
 * Why a decoded message cannot be answered at all: no request id, verification id or provider, or a
 * request addressed to another provider. Undefined when the envelope is sound.
 */
export function envelopeProblem(request: QueryRequested, provider: string): string | undefined {
  const missing = (['requestId', 'verificationId', 'provider'] as const).filter((f) => request[f].trim() === '');
  if (missing.length > 0) return `QueryRequested without ${missing.join(', ')}`;
  if (request.provider !== provider) return `QueryRequested for provider "${request.provider}" reached the adapter of "${provider}"`;
  return undefined;
}

/** Identity numbers by check digit, the income period and the assets date; every problem found, joined. */
export function checkQueryRequest(request: QueryRequested, now: Date): RequestRefusal | undefined {
  const problems: string[] = [];
  const today = todayInShanghai(now);

  if (request.members.length === 0) problems.push('the request names no member');
  request.members.forEach((member, i) => {
    const check = checkIdentityNumber(member.idNumber, today);
    if (!check.valid) {
      problems.push(`member ${i + 1} (${describeId(member.idNumber)}): invalid identity number (${check.problem}): ${check.message}`);
    }
  });

  const period = request.incomePeriod;
  if (!period) {
    problems.push('income period missing');
  } else if (!isMonth(period.from) || !isMonth(period.to)) {
    problems.push(`income period must be two months "YYYY-MM" (got "${period.from}" to "${period.to}")`);
  } else if (period.from > period.to) {
    problems.push(`income period starts (${period.from}) after it ends (${period.to})`);
  }

  if (!isRealDate(request.assetsAsOf)) problems.push(`assets-as-of "${request.assetsAsOf}" is not a date "YYYY-MM-DD"`);

  return problems.length === 0 ? undefined : { code: 'INVALID_REQUEST', reason: problems.join('; ') };
}

/** Masked form for anything that looks like an identity number, a placeholder for what does not. */
export function describeId(value: string): string {
  if (value === '') return 'no identity number';
  return maskIdentityNumber(value);
}

const IDENTITY_NUMBER_PATTERN = /\d{17}[\dXx]/g;

/** Masks identity numbers inside free text (error messages from a department's data source). */
export function redactIdentityNumbers(text: string): string {
  return text.replace(IDENTITY_NUMBER_PATTERN, (id) => maskIdentityNumber(id));
}
