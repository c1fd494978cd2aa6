/**
 * The new-verification form's model: one card per member holding that member's authorization, declared
 * amounts in yuan. It maps to the API's request (authorizations in member order, amounts in fen) and maps
 * the API's error fields back onto the form ("authorizations[1].signedAt" → members[1].signedAt).
 */
import { ageOn, birthDateOf, checkCharacter, checkIdentityNumber, sexOf } from '@verihub/domain/identity-number';
import { ADULT_AGE, type Relation } from '@verihub/domain/verification-request';
import { fieldPath, type FieldPath } from '../api/problem';

export interface MemberForm {
  idNumber: string;
  name: string;
  relation: Relation;
  /** The signer's identity number (the member, or an adult of the household for a minor). */
  signedBy?: string;
  documentRef?: string;
  /** ISO 8601 with offset. */
  signedAt?: string;
  expiresAt?: string;
}

export interface DeclaredForm {
  monthlyIncome?: { wage?: number | null; business?: number | null; property?: number | null; transfer?: number | null };
  financialAssets?: number | null;
  vehicles?: number | null;
  properties?: number | null;
}

export interface VerificationForm {
  program: string;
  purpose: string;
  regionCode: string;
  asOf?: string;
  members: MemberForm[];
  declared?: DeclaredForm;
}

export interface VerificationRequestBody {
  program: string;
  purpose: string;
  regionCode: string;
  asOf?: string;
  members: { idNumber: string; name: string; relation: string }[];
  declared?: {
    monthlyIncome?: { wage?: number; business?: number; property?: number; transfer?: number };
    financialAssets?: number;
    vehicles?: number;
    properties?: number;
  };
  authorizations: { idNumber: string; signedBy: string; documentRef: string; signedAt: string; expiresAt: string }[];
}

const toFen = (yuan: number | null | undefined) => (yuan === null || yuan === undefined ? undefined : Math.round(yuan * 100));
const toYuan = (fen: unknown) => (typeof fen === 'number' ? fen / 100 : undefined);
const count = (n: unknown) => (typeof n === 'number' ? n : undefined);

function prune<T extends object>(value: T): T | undefined {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return entries.length ? (Object.fromEntries(entries) as T) : undefined;
}

export function toRequest(form: VerificationForm): VerificationRequestBody {
  const members = form.members ?? [];
  const income = form.declared?.monthlyIncome;
  const monthlyIncome = income
    ? prune({ wage: toFen(income.wage), business: toFen(income.business), property: toFen(income.property), transfer: toFen(income.transfer) })
    : undefined;
  const declared = prune({
    monthlyIncome,
    financialAssets: toFen(form.declared?.financialAssets),
    vehicles: count(form.declared?.vehicles),
    properties: count(form.declared?.properties),
  });
  return {
    program: form.program,
    purpose: form.purpose,
    regionCode: form.regionCode,
    ...(form.asOf ? { asOf: form.asOf } : {}),
    members: members.map((m) => ({ idNumber: (m.idNumber ?? '').trim(), name: (m.name ?? '').trim(), relation: m.relation })),
    ...(declared ? { declared } : {}),
    authorizations: members.map((m) => ({
      idNumber: (m.idNumber ?? '').trim(),
      signedBy: (m.signedBy ?? m.idNumber ?? '').trim(),
      documentRef: (m.documentRef ?? '').trim(),
      signedAt: m.signedAt ?? '',
      expiresAt: m.expiresAt ?? '',
    })),
  };
}

interface RequestLike {
  program?: unknown;
  purpose?: unknown;
  regionCode?: unknown;
  asOf?: unknown;
  members?: { idNumber?: unknown; name?: unknown; relation?: unknown }[];
  declared?: { monthlyIncome?: Record<string, unknown>; financialAssets?: unknown; vehicles?: unknown; properties?: unknown };
  authorizations?: { idNumber?: unknown; signedBy?: unknown; documentRef?: unknown; signedAt?: unknown; expiresAt?: unknown }[];
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** A pasted request (the API's format, e.g. a line of demo-households.jsonl) as form values; null when it is not one. */
export function fromRequest(text: string): VerificationForm | null {
  let parsed: RequestLike;
  try {
    parsed = JSON.parse(text) as RequestLike;
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray(parsed.members)) return null;
  const authorizations = Array.isArray(parsed.authorizations) ? parsed.authorizations : [];
  const income = parsed.declared?.monthlyIncome ?? {};
  return {
    program: str(parsed.program) ?? 'dibao',
    purpose: str(parsed.purpose) ?? 'application',
    regionCode: str(parsed.regionCode) ?? '',
    asOf: str(parsed.asOf),
    members: parsed.members.map((m) => {
      const idNumber = str(m.idNumber) ?? '';
      const auth = authorizations.find((a) => a.idNumber === idNumber);
      return {
        idNumber,
        name: str(m.name) ?? '',
        relation: (str(m.relation) ?? 'other') as Relation,
        signedBy: str(auth?.signedBy),
        documentRef: str(auth?.documentRef),
        signedAt: str(auth?.signedAt),
        expiresAt: str(auth?.expiresAt),
      };
    }),
    declared: {
      monthlyIncome: { wage: toYuan(income.wage), business: toYuan(income.business), property: toYuan(income.property), transfer: toYuan(income.transfer) },
      financialAssets: toYuan(parsed.declared?.financialAssets),
      vehicles: count(parsed.declared?.vehicles),
      properties: count(parsed.declared?.properties),
    },
  };
}

/**
 * Where an API error field lands on the form. `members[i]` alone (e.g. "no valid authorization") is a
 * member-level message: it lands on the member's document reference, next to the authorization.
 */
export function formPathOf(field: string): FieldPath | null {
  const path = fieldPath(field);
  if (path[0] === 'authorizations' && typeof path[1] === 'number') return ['members', path[1], ...(path.length > 2 ? path.slice(2) : ['documentRef'])];
  if (path[0] === 'members' && typeof path[1] === 'number' && path.length === 2) return ['members', path[1], 'documentRef'];
  if (path[0] === 'members' && path.length === 1) return null;
  const known = ['program', 'purpose', 'regionCode', 'asOf', 'members', 'declared'];
  return known.includes(String(path[0])) ? path : null;
}

export interface IdentityDescription {
  valid: boolean;
  problem?: 'format' | 'birth_date' | 'check_digit';
  /** The check character the first 17 digits call for (check_digit problems). */
  expected?: string;
  birthDate?: string;
  age?: number;
  sex?: 'M' | 'F';
  minor?: boolean;
}

/** The live reading of a typed identity number, by the domain's own rule (libs/domain). */
export function describeIdentityNumber(value: string, today: string): IdentityDescription {
  const check = checkIdentityNumber(value, today);
  if (!check.valid) {
    const expected = check.problem === 'check_digit' ? checkCharacter(value.slice(0, 17)) : undefined;
    return { valid: false, problem: check.problem, expected };
  }
  const age = ageOn(value, today);
  return { valid: true, birthDate: birthDateOf(value), age, sex: sexOf(value), minor: age < ADULT_AGE };
}
