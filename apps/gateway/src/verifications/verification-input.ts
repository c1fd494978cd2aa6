/**
 * What creating a verification needs, one household at a time (CreateVerificationUseCase) or many together
 * (CreateVerificationsTogetherUseCase): the request as plain data, conflicts with kept authorization records, and
 * the rows and audit act a new verification is written as.
 */
import { randomUUID } from 'crypto';
import type { Authorization, Declaration, FieldError, VerificationRequest } from '@verihub/domain';
import type { GatewayAuditAct } from '../audit/audit-event.message';
import { actorRef, caseOf, idNumbersOf } from '../audit/audit-event.message';
import type { Actor } from '../auth/actor';
import type { AuthorizationEntity } from '../authorizations/authorization.entity';
import { conflictWithRecord, detailsOf } from '../authorizations/authorization-records';
import type { SourceView, VerificationEntity } from '../database/verification.entity';
import type { CreateVerificationDto } from './create-verification.dto';

/** A new authorization record for a document not kept yet. */
export function newAuthorizationRecord(a: Authorization, request: VerificationRequest, actor: Actor, key: Buffer, now: Date): AuthorizationEntity {
  return {
    id: randomUUID(),
    ...detailsOf(a, request.members, key, now),
    regionCode: request.regionCode,
    createdBy: actor.username,
    createdAt: now,
    revokedAt: null,
    revokedBy: null,
    revocationReason: null,
  };
}

/** The read-model row of a verification just accepted (pending, no report yet). */
export function newVerification(
  id: string,
  request: VerificationRequest,
  asOf: string,
  policy: { id: string; version: number },
  sources: SourceView[],
  actor: Actor,
  now: Date,
): VerificationEntity {
  return {
    id,
    program: request.program,
    purpose: request.purpose,
    regionCode: request.regionCode,
    asOf,
    members: request.members,
    declared: request.declared ?? null,
    authorizations: request.authorizations,
    policyId: policy.id,
    policyVersion: policy.version,
    status: 'pending',
    sources,
    reportVersion: 0,
    createdBy: actor.username,
    createdAt: now,
    updatedAt: now,
    stateUpdatedAt: null,
  };
}

/** The audit act of an accepted verification. */
export function verificationCreatedAct(entity: VerificationEntity, actor: Actor, now: Date): GatewayAuditAct {
  return {
    action: 'verification_created',
    actor: actorRef(actor),
    case: caseOf(entity),
    idNumbers: idNumbersOf(entity),
    dataCategories: ['household'],
    status: 'succeeded',
    recordCount: entity.members.length,
    occurredAt: now,
  };
}

/** Each cited authorization whose document reference is kept for another person or another document. */
export function conflicts(request: VerificationRequest, byRef: ReadonlyMap<string, AuthorizationEntity>, key: Buffer, now: Date): FieldError[] {
  const problems: FieldError[] = [];
  request.authorizations.forEach((a, i) => {
    const kept = byRef.get(a.documentRef);
    if (!kept) return;
    const conflict = conflictWithRecord(kept, detailsOf(a, request.members, key, now), `authorizations[${i}]`);
    if (conflict) problems.push(conflict);
  });
  // The same reference twice in one request must describe the same document too.
  const first = new Map<string, number>();
  request.authorizations.forEach((a, i) => {
    const earlier = first.get(a.documentRef);
    if (earlier === undefined) return void first.set(a.documentRef, i);
    const one = detailsOf(request.authorizations[earlier], request.members, key, now);
    const other = detailsOf(a, request.members, key, now);
    if (JSON.stringify(one) !== JSON.stringify(other)) {
      problems.push({ field: `authorizations[${i}].documentRef`, message: `is the reference of authorizations[${earlier}], which says otherwise` });
    }
  });
  return problems;
}

/** Plain data for storage and the message: validated DTO instances, copied field by field. */
export function toPlainRequest(input: CreateVerificationDto | VerificationRequest): VerificationRequest {
  return {
    program: input.program,
    purpose: input.purpose,
    regionCode: input.regionCode,
    asOf: input.asOf,
    members: input.members.map((m) => ({ idNumber: m.idNumber, name: m.name, relation: m.relation })),
    declared: input.declared ? toPlainDeclaration(input.declared) : undefined,
    authorizations: input.authorizations.map((a) => ({
      idNumber: a.idNumber,
      signedBy: a.signedBy,
      documentRef: a.documentRef,
      signedAt: a.signedAt,
      expiresAt: a.expiresAt,
      ...(a.scope !== undefined ? { scope: [...a.scope] } : {}),
    })),
  };
}

function toPlainDeclaration(declared: Declaration): Declaration {
  const out: Declaration = {};
  if (declared.monthlyIncome) {
    const { wage, business, property, transfer } = declared.monthlyIncome;
    out.monthlyIncome = Object.fromEntries(
      Object.entries({ wage, business, property, transfer }).filter(([, v]) => v !== undefined),
    ) as Declaration['monthlyIncome'];
  }
  if (declared.financialAssets !== undefined) out.financialAssets = declared.financialAssets;
  if (declared.vehicles !== undefined) out.vehicles = declared.vehicles;
  if (declared.properties !== undefined) out.properties = declared.properties;
  return out;
}
