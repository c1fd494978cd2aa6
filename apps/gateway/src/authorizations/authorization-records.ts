/**
 * How a request's authorizations become records (pure): the record each one describes (member and signer
 * as keyed hashes, never raw numbers) and how it compares with the record already kept under its document
 * reference. A document reference names one signed document: the same reference for another person, or
 * with other details, is refused rather than silently re-used or overwritten.
 */
import { keyedIdentityHash, maskIdentityNumber, signerOf, type Authorization, type FieldError, type HouseholdMember } from '@verihub/domain';
import type { AuthorizationEntity } from './authorization.entity';

export type AuthorizationDetails = Pick<
  AuthorizationEntity,
  'documentRef' | 'memberIdHash' | 'memberIdMasked' | 'signerIdHash' | 'signerRelation' | 'signedAt' | 'expiresAt' | 'scope'
>;

/** The record an authorization of a request (already checked by checkVerificationRules) describes. */
export function detailsOf(authorization: Authorization, members: readonly HouseholdMember[], key: Buffer, now: Date): AuthorizationDetails {
  const signer = signerOf(authorization, members, now);
  if (!signer) throw new Error(`authorization ${authorization.documentRef}: the signer was not checked`);
  return {
    documentRef: authorization.documentRef,
    memberIdHash: keyedIdentityHash(authorization.idNumber, key),
    memberIdMasked: maskIdentityNumber(authorization.idNumber.trim().toUpperCase()),
    signerIdHash: keyedIdentityHash(signer.idNumber, key),
    signerRelation: signer.relation,
    signedAt: new Date(Date.parse(authorization.signedAt)),
    expiresAt: new Date(Date.parse(authorization.expiresAt)),
    scope: authorization.scope === undefined ? null : [...new Set(authorization.scope)].sort(),
  };
}

function sameScope(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && [...a].sort().every((p, i) => p === [...b].sort()[i]);
}

/**
 * The problem with citing `wanted` when `kept` is the record of its document reference, or undefined when
 * they are the same document (the record is re-used). Never names the other person.
 */
export function conflictWithRecord(kept: AuthorizationEntity, wanted: AuthorizationDetails, field: string): FieldError | undefined {
  if (kept.memberIdHash !== wanted.memberIdHash) {
    return { field: `${field}.documentRef`, message: `is already the reference of another person’s authorization (${kept.documentRef})` };
  }
  const differing = [
    kept.signerIdHash !== wanted.signerIdHash || kept.signerRelation !== wanted.signerRelation ? 'signedBy' : undefined,
    kept.signedAt.getTime() !== wanted.signedAt.getTime() ? 'signedAt' : undefined,
    kept.expiresAt.getTime() !== wanted.expiresAt.getTime() ? 'expiresAt' : undefined,
    sameScope(kept.scope, wanted.scope) ? undefined : 'scope',
  ].filter((f): f is string => f !== undefined);
  if (differing.length === 0) return undefined;
  return {
    field: `${field}.documentRef`,
    message: `is already recorded with another ${differing.join(', ')} (one document, one record: a new authorization has a new reference)`,
  };
}
