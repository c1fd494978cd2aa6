/**
 * A household verification request (api.md "Verifications") and the rules it must satisfy before
 * anything is stored or any provider is asked: 先授权、后核对.
 */
import { ageOn, checkIdentityNumber, maskIdentityNumber, todayInShanghai } from './identity-number';
import { isKnownProviderId } from './providers';

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
  /**
   * The providers the authorization covers ("tax", "bank:ICBC", ...); absent means every provider.
   * A verification asks every registered provider, so a scope must cover them all.
   */
  scope?: string[];
}

/** Who signed an authorization: the member themself, or an adult household member for a minor (监护人). */
export type SignerRelation = 'self' | 'guardian';

/** Why a member is not covered by a valid authorization. */
export type AuthorizationShortfallReason = 'missing' | 'expired' | 'revoked' | 'out_of_scope' | 'invalid';

export interface AuthorizationShortfall {
  memberIndex: number;
  idNumber: string;
  reason: AuthorizationShortfallReason;
  /** One line for the refusal (masked member, document references, uncovered providers; never a raw number). */
  message: string;
}

/** What the rules need to know beyond the request itself. */
export interface AuthorizationContext {
  /**
   * Every provider the verification asks (the programme asks all registered providers). A scope must cover
   * each one, and may name only these. Absent: scopes are checked for well-formed provider ids only.
   */
  requiredProviders?: readonly string[];
  /** Document references recorded as revoked, with the time of revocation (ISO 8601). */
  revoked?: ReadonlyMap<string, string>;
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
export function checkVerificationRules(
  request: VerificationRequest,
  now: Date = new Date(),
  context: AuthorizationContext = {},
): FieldError[] {
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

  const authorizations = checkAuthorizations(request.members, request.authorizations, now, context);
  errors.push(...authorizations.errors);
  errors.push(...authorizations.shortfalls.map((s) => ({ field: `members[${s.memberIndex}]`, message: s.message })));
  return errors;
}

/**
 * The members of a request not covered by a valid authorization, each with the reason: missing (none
 * cited), revoked, expired, out of scope (does not cover every provider asked) or invalid (another
 * problem, named on the authorization's own fields by checkVerificationRules).
 */
export function authorizationShortfalls(
  request: Pick<VerificationRequest, 'members' | 'authorizations'>,
  now: Date = new Date(),
  context: AuthorizationContext = {},
): AuthorizationShortfall[] {
  return checkAuthorizations(request.members, request.authorizations, now, context).shortfalls;
}

/** The providers of `required` that `scope` leaves out (none when the scope is absent: every provider). */
export function uncoveredProviders(scope: readonly string[] | undefined, required: readonly string[]): string[] {
  if (scope === undefined) return [];
  const covered = new Set(scope);
  return required.filter((p) => !covered.has(p));
}

/**
 * Who signed an authorization, as a member of the household, and in which capacity; undefined when the
 * signer is not a member the rules accept (checkVerificationRules names the problem).
 */
export function signerOf(
  authorization: Pick<Authorization, 'idNumber' | 'signedBy'>,
  members: readonly HouseholdMember[],
  now: Date = new Date(),
): { idNumber: string; relation: SignerRelation } | undefined {
  const subject = members.find((m) => m.idNumber === authorization.idNumber);
  const signer = members.find((m) => m.idNumber === authorization.signedBy || m.name === authorization.signedBy);
  if (!subject || !signer) return undefined;
  if (checkSigner(subject, authorization.signedBy, [...members], todayInShanghai(now))) return undefined;
  return { idNumber: signer.idNumber, relation: signer.idNumber === subject.idNumber ? 'self' : 'guardian' };
}

const SHORTFALL_WORDS: Record<AuthorizationShortfallReason, string> = {
  missing: 'missing',
  expired: 'expired',
  revoked: 'revoked',
  out_of_scope: 'out of scope',
  invalid: 'invalid',
};
/** When a member's authorizations fail for several reasons, the one named. */
const SHORTFALL_ORDER: AuthorizationShortfallReason[] = ['revoked', 'expired', 'out_of_scope', 'invalid'];

function checkAuthorizations(
  members: HouseholdMember[],
  authorizations: Authorization[],
  now: Date,
  context: AuthorizationContext,
): { errors: FieldError[]; shortfalls: AuthorizationShortfall[] } {
  const errors: FieldError[] = [];
  const today = todayInShanghai(now);
  const memberIds = new Set(members.map((m) => m.idNumber));
  const validFor = new Set<string>();
  /** Per member: why each of their authorizations fails, with what to say. */
  const failures = new Map<string, { reason: AuthorizationShortfallReason; note: string }[]>();
  const fail = (idNumber: string, reason: AuthorizationShortfallReason, note: string) =>
    failures.set(idNumber, [...(failures.get(idNumber) ?? []), { reason, note }]);
  const revokedCited = new Set<string>();

  authorizations.forEach((auth, i) => {
    const field = `authorizations[${i}]`;
    const problems: FieldError[] = [];
    let reason: AuthorizationShortfallReason = 'invalid';
    let note = auth.documentRef;
    if (!memberIds.has(auth.idNumber)) {
      problems.push({ field: `${field}.idNumber`, message: 'is not a member of this household' });
    }
    const revokedAt = context.revoked?.get(auth.documentRef);
    if (revokedAt !== undefined) {
      problems.push({ field: `${field}.documentRef`, message: `the authorization was revoked at ${revokedAt}` });
      reason = 'revoked';
      note = `${auth.documentRef} revoked at ${revokedAt}`;
      revokedCited.add(auth.idNumber);
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
      if (reason === 'invalid') {
        reason = 'expired';
        note = `${auth.documentRef} expired at ${auth.expiresAt}`;
      }
    } else if (isZonedDateTime(auth.signedAt) && Date.parse(auth.expiresAt) <= Date.parse(auth.signedAt)) {
      problems.push({ field: `${field}.expiresAt`, message: 'must be after signedAt' });
    }
    if (auth.scope !== undefined) {
      const known = context.requiredProviders;
      auth.scope.forEach((provider, k) => {
        const recognised = known ? known.includes(provider) : isKnownProviderId(provider);
        if (!recognised) {
          problems.push({
            field: `${field}.scope[${k}]`,
            message: known ? `is not a provider of this hub (one of: ${known.join(', ')})` : 'is not a provider id ("tax", "bank:ICBC", ...)',
          });
        }
      });
      if (auth.scope.length === 0) problems.push({ field: `${field}.scope`, message: 'must name at least one provider (omit it to cover every provider)' });
      const uncovered = uncoveredProviders(auth.scope, known ?? []);
      if (uncovered.length > 0) {
        problems.push({
          field: `${field}.scope`,
          message: `does not cover ${uncovered.join(', ')}: a verification asks every provider, so the authorization must cover each`,
        });
        if (reason === 'invalid') {
          reason = 'out_of_scope';
          note = `${auth.documentRef} does not cover ${uncovered.join(', ')}`;
        }
      }
    }
    const subject = members.find((m) => m.idNumber === auth.idNumber);
    if (subject) {
      const signerProblem = checkSigner(subject, auth.signedBy, members, today);
      if (signerProblem) problems.push({ field: `${field}.signedBy`, message: signerProblem });
    }
    if (problems.length === 0) validFor.add(auth.idNumber);
    else fail(auth.idNumber, reason, note);
    errors.push(...problems);
  });

  const shortfalls: AuthorizationShortfall[] = [];
  members.forEach((member, i) => {
    const covered = validFor.has(member.idNumber) && !revokedCited.has(member.idNumber);
    if (covered || !checkIdentityNumber(member.idNumber, today).valid) return;
    const own = failures.get(member.idNumber) ?? [];
    const reason = own.length === 0 ? 'missing' : SHORTFALL_ORDER.find((r) => own.some((f) => f.reason === r))!;
    const notes = own.filter((f) => f.reason === reason).map((f) => f.note);
    const why = reason === 'missing' ? 'missing (none cited for this member)' : `${SHORTFALL_WORDS[reason]} (${notes.join('; ')})`;
    shortfalls.push({
      memberIndex: i,
      idNumber: member.idNumber,
      reason,
      message: `member ${maskIdentityNumber(member.idNumber)} has no valid authorization: ${why} (无委托、不核对)`,
    });
  });
  return { errors, shortfalls };
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
