/**
 * A household verification request (api.md "Verifications") and the rules it must satisfy before
 * anything is stored or any provider is asked: 先授权、后核对.
 */
import { ageOn, checkIdentityNumber, maskIdentityNumber, todayInShanghai } from './identity-number';

export const PROGRAMS = ['dibao', 'tekun', 'low_income', 'temporary', 'medical', 'housing', 'education'] as const;
export type Program = (typeof PROGRAMS)[number];

export const PURPOSES = ['application', 'review', 'spot_check'] as const;
export type Purpose = (typeof PURPOSES)[number];

export const RELATIONS = ['applicant', 'spouse', 'child', 'parent', 'sibling', 'grandparent', 'grandchild', 'other'] as const;
export type Relation = (typeof RELATIONS)[number];

export const INCOME_CATEGORIES = ['wage', 'business', 'property', 'transfer'] as const;
export type IncomeCategory = (typeof INCOME_CATEGORIES)[number];

export interface HouseholdMember {
  idNumber: string;
  name: string;
  relation: Relation;
}

export interface Authorization {
  idNumber: string;
  signedBy: string;
  documentRef: string;
  /** ISO 8601 with offset. */
  signedAt: string;
  expiresAt: string;
}

export interface Declaration {
  monthlyIncome?: Partial<Record<IncomeCategory, number>>;
  financialAssets?: number;
  vehicles?: number;
  properties?: number;
}

export interface VerificationRequest {
  program: Program;
  purpose: Purpose;
  regionCode: string;
  /** "YYYY-MM-DD"; defaults to today in Asia/Shanghai. */
  asOf?: string;
  members: HouseholdMember[];
  declared?: Declaration;
  authorizations: Authorization[];
}

export interface FieldError {
  field: string;
  message: string;
}

export const ADULT_AGE = 18;
export const MAX_MEMBERS = 30;

/** ISO 8601 date-time that carries an explicit offset (Z or ±hh:mm). */
export function isZonedDateTime(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}

/**
 * The cross-field rules of a request whose shape is already valid (types, enums, integer fen):
 * identity numbers by check digit, one applicant, no member twice, and a valid authorization for
 * every member. Returns every problem found, each naming its field.
 */
export function checkVerificationRules(request: VerificationRequest, now: Date = new Date()): FieldError[] {
  const errors: FieldError[] = [];
  const today = todayInShanghai(now);

  if (request.asOf !== undefined && request.asOf > today) {
    errors.push({ field: 'asOf', message: `must not be after today (${today})` });
  }

  const seen = new Map<string, number>();
  request.members.forEach((member, i) => {
    const check = checkIdentityNumber(member.idNumber, today);
    if (!check.valid) {
      errors.push({ field: `members[${i}].idNumber`, message: `invalid resident identity number (${check.problem}): ${check.message}` });
      return;
    }
    const earlier = seen.get(member.idNumber);
    if (earlier !== undefined) {
      errors.push({ field: `members[${i}].idNumber`, message: `the same person as members[${earlier}]` });
    } else {
      seen.set(member.idNumber, i);
    }
  });

  const applicants = request.members.filter((m) => m.relation === 'applicant').length;
  if (applicants !== 1) {
    errors.push({ field: 'members', message: `exactly one member must have relation "applicant" (found ${applicants})` });
  }

  errors.push(...checkAuthorizations(request.members, request.authorizations, now));
  return errors;
}

function checkAuthorizations(members: HouseholdMember[], authorizations: Authorization[], now: Date): FieldError[] {
  const errors: FieldError[] = [];
  const today = todayInShanghai(now);
  const memberIds = new Set(members.map((m) => m.idNumber));
  const validFor = new Set<string>();

  authorizations.forEach((auth, i) => {
    const field = `authorizations[${i}]`;
    const problems: FieldError[] = [];
    if (!memberIds.has(auth.idNumber)) {
      problems.push({ field: `${field}.idNumber`, message: 'is not a member of this household' });
    }
    if (!isZonedDateTime(auth.signedAt)) {
      problems.push({ field: `${field}.signedAt`, message: 'must be an ISO 8601 date-time with offset' });
    } else if (Date.parse(auth.signedAt) > now.getTime()) {
      problems.push({ field: `${field}.signedAt`, message: 'must be before now (an authorization cannot be signed in the future)' });
    }
    if (!isZonedDateTime(auth.expiresAt)) {
      problems.push({ field: `${field}.expiresAt`, message: 'must be an ISO 8601 date-time with offset' });
    } else if (Date.parse(auth.expiresAt) <= now.getTime()) {
      problems.push({ field: `${field}.expiresAt`, message: 'the authorization has expired' });
    } else if (isZonedDateTime(auth.signedAt) && Date.parse(auth.expiresAt) <= Date.parse(auth.signedAt)) {
      problems.push({ field: `${field}.expiresAt`, message: 'must be after signedAt' });
    }
    const subject = members.find((m) => m.idNumber === auth.idNumber);
    if (subject) {
      const signerProblem = checkSigner(subject, auth.signedBy, members, today);
      if (signerProblem) problems.push({ field: `${field}.signedBy`, message: signerProblem });
    }
    if (problems.length === 0) validFor.add(auth.idNumber);
    errors.push(...problems);
  });

  members.forEach((member, i) => {
    if (!validFor.has(member.idNumber) && checkIdentityNumber(member.idNumber, today).valid) {
      errors.push({
        field: `members[${i}]`,
        message: `member ${maskIdentityNumber(member.idNumber)} has no valid authorization (无委托、不核对)`,
      });
    }
  });
  return errors;
}

/** The member signs for themself; a minor's authorization is signed by an adult member of the household. */
function checkSigner(subject: HouseholdMember, signedBy: string, members: HouseholdMember[], today: string): string | undefined {
  const signer = members.find((m) => m.idNumber === signedBy || m.name === signedBy);
  if (!signer) return 'must be the member or, for a minor, an adult member of the household (identity number or name)';
  const subjectIsMinor = ageOn(subject.idNumber, today) < ADULT_AGE;
  if (signer.idNumber === subject.idNumber) {
    return subjectIsMinor ? 'a minor cannot sign; an adult member of the household signs for them' : undefined;
  }
  if (!subjectIsMinor) return 'an adult member signs their own authorization';
  if (ageOn(signer.idNumber, today) < ADULT_AGE) return 'the signer for a minor must be an adult';
  return undefined;
}
