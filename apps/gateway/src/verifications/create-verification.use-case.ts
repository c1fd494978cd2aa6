import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import {
  checkVerificationRules,
  maskIdentityNumber,
  todayInShanghai,
  type Declaration,
  type VerificationRequest,
} from '@verihub/domain';
import { enqueueOutbox, OutboxRelay } from '@verihub/persistence';
import { actorRef, caseOf, idNumbersOf } from '../audit/audit-event.message';
import { AuditTrail } from '../audit/audit-trail';
import type { Actor } from '../auth/actor';
import { VerificationEntity } from '../database/verification.entity';
import { GatewayException, GatewayExceptionCode } from '../errors/gateway.exception';
import { toAppliedPolicy } from '../policies/policy.mapper';
import { PolicyRepository } from '../policies/policy.repository';
import type { CreateVerificationDto } from './create-verification.dto';
import { mayCreateIn } from './verification-access';
import { verificationRequestedMessage } from './verification-requested.message';
import type { VerificationCreatedView } from './verification.views';
import { VerificationRepository } from './verification.repository';
import { SourceRegistry } from './source-registry';

/**
 * Accepts a household verification (先授权、后核对): the request is checked against the domain rules and
 * the applicable policy is found before anything is written; then the verification and its
 * VerificationRequested message commit together. A refused request stores and publishes nothing.
 */
@Injectable()
export class CreateVerificationUseCase {
  private readonly logger = new Logger(CreateVerificationUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly verifications: VerificationRepository,
    private readonly policies: PolicyRepository,
    private readonly sources: SourceRegistry,
    private readonly relay: OutboxRelay,
    private readonly audit: AuditTrail,
  ) {}

  async execute(actor: Actor, input: CreateVerificationDto, now: Date = new Date()): Promise<VerificationCreatedView> {
    if (!mayCreateIn(actor, input.regionCode)) {
      throw new GatewayException(
        GatewayExceptionCode.REGION_NOT_ALLOWED,
        `An officer of region ${actor.regionCode} may not create verifications for region ${input.regionCode}.`,
        [{ field: 'regionCode', message: `must be your own region (${actor.regionCode})` }],
      );
    }
    const request = toPlainRequest(input);
    const problems = checkVerificationRules(request, now);
    if (problems.length > 0) throw GatewayException.invalidInput(problems);

    const asOf = request.asOf ?? todayInShanghai(now);
    const policyRow = await this.policies.findApplicable(request.regionCode, request.program, asOf);
    if (!policyRow) {
      const message = `no ${request.program} policy of region ${request.regionCode} is in force on ${asOf}`;
      throw new GatewayException(
        GatewayExceptionCode.NO_APPLICABLE_POLICY,
        `The request cannot be verified: ${message}. An administrator creates one with POST /api/v1/policies.`,
        [{ field: 'policy', message }],
      );
    }
    const policy = toAppliedPolicy(policyRow);
    const id = randomUUID();
    const entity: VerificationEntity = {
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
      sources: this.sources.initialSources(),
      reportVersion: 0,
      createdBy: actor.username,
      createdAt: now,
      updatedAt: now,
      stateUpdatedAt: null,
    };
    const message = verificationRequestedMessage({ id, request, asOf, policy, requestedAt: now, requestedBy: actor.username });
    await this.dataSource.transaction(async (manager) => {
      await this.verifications.insert(manager, entity);
      await enqueueOutbox(manager, [message]);
      await this.audit.enqueue(manager, {
        action: 'verification_created',
        actor: actorRef(actor),
        case: caseOf(entity),
        idNumbers: idNumbersOf(entity),
        dataCategories: ['household'],
        status: 'succeeded',
        recordCount: entity.members.length,
        occurredAt: now,
      });
    });
    this.relay.nudge();

    const applicant = request.members.find((m) => m.relation === 'applicant');
    this.logger.log(
      `verification ${id} accepted from ${actor.username}: ${request.program}/${request.purpose}, region ${request.regionCode}, ` +
        `${request.members.length} member(s), applicant ${applicant ? maskIdentityNumber(applicant.idNumber) : '-'}, policy v${policy.version}`,
    );
    return {
      id,
      status: 'pending',
      createdAt: now.toISOString(),
      program: request.program,
      purpose: request.purpose,
      regionCode: request.regionCode,
      asOf,
      memberCount: request.members.length,
      policy: { id: policy.id, version: policy.version },
    };
  }
}

/** Plain data for storage and the message: validated DTO instances, copied field by field. */
function toPlainRequest(input: CreateVerificationDto): VerificationRequest {
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
