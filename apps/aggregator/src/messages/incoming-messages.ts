/**
 * The messages the aggregator consumes, read into its use cases' commands. Anything a use case cannot
 * act on throws MalformedMessageError (dead letter, not retried). Reasons name fields, never personal data.
 */
import {
  AuthorizationRevoked,
  Policy,
  QueryAnswered,
  QueryFailed,
  QueryFailureCode,
  UnknownRecordError,
  VerificationRequested,
  fromProviderRecord,
} from '@verihub/contracts';
import {
  DEFAULT_INCOME_LOOKBACK_MONTHS,
  PROGRAMS,
  PURPOSES,
  RELATIONS,
  areaToCentiM2,
  isRealDate,
  isZonedDateTime,
  todayInShanghai,
  type Authorization,
  type Declaration,
  type DepartmentRecord,
  type HouseholdMember,
  type PolicyVersion,
  type Program,
  type Purpose,
  type Relation,
} from '@verihub/domain';
import { MalformedMessageError } from '@verihub/messaging';
import { signatureRejectionReason } from '../rules/verification-rules';
import type { ProviderOutcome } from '../use-cases/record-answer.use-case';
import type { StartVerificationCommand } from '../use-cases/start-verification-command';
import type { StopQueriesCommand } from '../use-cases/stop-queries-on-revocation.use-case';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function malformed(reason: string): never {
  throw new MalformedMessageError(reason);
}

function uuidOf(value: string, field: string): string {
  if (!UUID.test(value)) malformed(`${field} is not a UUID`);
  return value.toLowerCase();
}

function oneOf<T extends string>(value: string, allowed: readonly T[], field: string): T {
  if (!(allowed as readonly string[]).includes(value)) malformed(`${field} "${value}" is not one of ${allowed.join(', ')}`);
  return value as T;
}

/**
 * VerificationRequested → StartVerificationCommand. A re-check (non-empty recheck_reason) may leave out
 * members, authorizations, declaration and policy: the verification's current ones are kept.
 */
export function startVerificationCommandFrom(message: VerificationRequested): StartVerificationCommand {
  const verificationId = uuidOf(message.verificationId, 'verification_id');
  const recheckReason = message.recheckReason.trim() || null;
  if (!isZonedDateTime(message.requestedAt)) malformed('requested_at must be an ISO 8601 date-time with offset');
  const requestedAt = new Date(message.requestedAt);
  if (message.asOf !== '' && !isRealDate(message.asOf)) malformed('as_of must be a date (YYYY-MM-DD)');
  if (!/^\d{6}$/.test(message.regionCode)) malformed('region_code must be a 6-digit administrative code');

  const members: HouseholdMember[] = message.members.map((m, i) => {
    if (!m.idNumber || !m.name) malformed(`members[${i}] needs an identity number and a name`);
    return { idNumber: m.idNumber, name: m.name, relation: oneOf<Relation>(m.relation, RELATIONS, `members[${i}].relation`) };
  });
  if (members.length === 0 && !recheckReason) malformed('members must not be empty');
  if (!message.policy && !recheckReason) malformed('policy is missing');

  const authorizations: Authorization[] = message.authorizations.map((a) => ({
    idNumber: a.idNumber,
    documentRef: a.documentRef,
    signedBy: a.signedBy,
    signedAt: a.signedAt,
    expiresAt: a.expiresAt,
  }));

  return {
    verificationId,
    program: oneOf<Program>(message.program, PROGRAMS, 'program'),
    purpose: oneOf<Purpose>(message.purpose, PURPOSES, 'purpose'),
    regionCode: message.regionCode,
    asOf: message.asOf || todayInShanghai(requestedAt),
    members,
    authorizations,
    declared: message.declared ? declarationFrom(message.declared) : null,
    policy: message.policy ? policyFrom(message.policy) : null,
    interactive: message.interactive,
    requestedAt,
    requestedBy: message.requestedBy,
    recheckReason,
  };
}

function declarationFrom(declared: NonNullable<VerificationRequested['declared']>): Declaration {
  const out: Declaration = {};
  const income = declared.monthlyIncome;
  if (income) {
    const monthlyIncome: NonNullable<Declaration['monthlyIncome']> = {};
    for (const category of ['wage', 'business', 'property', 'transfer'] as const) {
      const value = income[category];
      if (value !== undefined) monthlyIncome[category] = value;
    }
    out.monthlyIncome = monthlyIncome;
  }
  if (declared.financialAssets !== undefined) out.financialAssets = declared.financialAssets;
  if (declared.vehicles !== undefined) out.vehicles = declared.vehicles;
  if (declared.properties !== undefined) out.properties = declared.properties;
  return out;
}

/**
 * The policy the gateway applied: its typed fields, overlaid by `policy_json` (the canonical JSON the
 * gateway accepted, which may carry rules added after v1) so the report applies exactly that policy.
 */
export function policyFrom(policy: Policy): PolicyVersion {
  const typed: PolicyVersion = {
    id: policy.id,
    version: policy.version,
    regionCode: policy.regionCode,
    program: oneOf<Program>(policy.program, PROGRAMS, 'policy.program'),
    effectiveFrom: policy.effectiveFrom,
    standardMonthly: { urban: policy.standardMonthlyUrban, rural: policy.standardMonthlyRural },
    incomeLookbackMonths: policy.incomeLookbackMonths || DEFAULT_INCOME_LOOKBACK_MONTHS,
    financialAssetsMonthsLimit: policy.financialAssetsMonthsLimit,
    maxCountedVehicles: policy.maxCountedVehicles,
    exemptVehicleTypes: [...policy.exemptVehicleTypes],
    maxResidentialProperties: policy.maxResidentialProperties,
    maxNonResidentialProperties: policy.maxNonResidentialProperties,
    employmentDeductionMonthly: policy.employmentDeductionMonthly,
    discrepancyTolerance: {
      absolute: policy.discrepancyTolerance?.absolute ?? 0,
      relative: (policy.discrepancyTolerance?.relativeBasisPoints ?? 0) / 10_000,
    },
  };
  if (!policy.policyJson) return typed;
  let canonical: unknown;
  try {
    canonical = JSON.parse(policy.policyJson);
  } catch {
    malformed('policy.policy_json is not JSON');
  }
  if (typeof canonical !== 'object' || canonical === null || Array.isArray(canonical)) {
    malformed('policy.policy_json is not a JSON object');
  }
  const merged: PolicyVersion = { ...typed, ...(canonical as Partial<PolicyVersion>), id: typed.id, version: typed.version };
  const areaLimit = merged.maxResidentialAreaPerCapitaM2;
  if (areaLimit !== undefined && areaToCentiM2(areaLimit) === null) {
    malformed('policy.policy_json maxResidentialAreaPerCapitaM2 is not a number of m² ≥ 0 with at most 2 decimals');
  }
  return merged;
}

/** QueryAnswered → the provider's answer, its records mapped to the domain's DepartmentRecord. */
export function answerOutcomeFrom(message: QueryAnswered): Extract<ProviderOutcome, { kind: 'answered' }> {
  const requestId = uuidOf(message.requestId, 'request_id');
  let records: DepartmentRecord[];
  try {
    records = message.records.map((r) => fromProviderRecord(r, message.provider));
  } catch (err) {
    if (err instanceof UnknownRecordError) malformed(`an answer record has no known type`);
    throw err;
  }
  return {
    kind: 'answered',
    requestId,
    verificationId: message.verificationId.toLowerCase(),
    provider: message.provider,
    answeredAt: isZonedDateTime(message.answeredAt) ? new Date(message.answeredAt) : null,
    records,
    notFound: [...message.notFoundIdNumbers],
    signature: message.signature || null,
  };
}

/** QueryFailed → the provider's failure, with its code and reason. */
export function failureOutcomeFrom(message: QueryFailed): ProviderOutcome {
  return {
    kind: 'failed',
    requestId: uuidOf(message.requestId, 'request_id'),
    verificationId: message.verificationId.toLowerCase(),
    provider: message.provider,
    failedAt: isZonedDateTime(message.failedAt) ? new Date(message.failedAt) : null,
    reason: failureReason(message.code, message.reason),
  };
}

const FAILURE_CODES: Record<QueryFailureCode, string> = {
  [QueryFailureCode.QUERY_FAILURE_CODE_UNSPECIFIED]: 'failed',
  [QueryFailureCode.QUERY_FAILURE_CODE_UNAUTHORIZED]: 'unauthorized',
  [QueryFailureCode.QUERY_FAILURE_CODE_INVALID_REQUEST]: 'invalid_request',
  [QueryFailureCode.QUERY_FAILURE_CODE_SOURCE_UNAVAILABLE]: 'source_unavailable',
  [QueryFailureCode.QUERY_FAILURE_CODE_INTERNAL]: 'internal',
};

function failureReason(code: QueryFailureCode, reason: string): string {
  const label = FAILURE_CODES[code] ?? 'failed';
  return reason ? `${label}: ${reason}` : label;
}

/** The outcome of a message whose signature did not verify: only its ids are kept (to find the request). */
export function rejectedOutcomeOf(outcome: ProviderOutcome, problem: 'missing' | 'invalid'): ProviderOutcome {
  return {
    kind: 'rejected',
    requestId: outcome.requestId,
    verificationId: outcome.verificationId,
    provider: outcome.provider,
    reason: signatureRejectionReason(problem),
  };
}

const KEYED_HASH = /^[0-9a-f]{64}$/;

/** AuthorizationRevoked → StopQueriesCommand: ids and a keyed hash only (never an identity number). */
export function stopQueriesCommandFrom(message: AuthorizationRevoked): StopQueriesCommand {
  const authorizationId = uuidOf(message.authorizationId, 'authorization_id');
  if (!KEYED_HASH.test(message.memberIdHash)) malformed('member_id_hash must be 64 lower-case hex characters');
  if (!isZonedDateTime(message.revokedAt)) malformed('revoked_at must be an ISO 8601 date-time with offset');
  return {
    authorizationId,
    memberIdHash: message.memberIdHash,
    revokedAt: new Date(message.revokedAt),
    verificationIds: message.verificationIds.map((id, i) => uuidOf(id, `verification_ids[${i}]`)),
  };
}
