import { Injectable, Logger } from '@nestjs/common';
import { actorRef } from '../audit/audit-event.message';
import { AuditTrail } from '../audit/audit-trail';
import type { Actor } from '../auth/actor';
import { POLICY_DEFAULTS, POLICY_EXTENSION_FIELDS, type StoredPolicyRules } from './policy-rules';
import type { CreatePolicyDto, PolicyView } from './policy.dto';
import { toPolicyView } from './policy.mapper';
import { PolicyRepository } from './policy.repository';

/** Stores a policy as the next version of its region and programme (never an edit in place). */
@Injectable()
export class CreatePolicyUseCase {
  private readonly logger = new Logger(CreatePolicyUseCase.name);

  constructor(
    private readonly policies: PolicyRepository,
    private readonly audit: AuditTrail,
  ) {}

  async execute(actor: Actor, input: CreatePolicyDto): Promise<PolicyView> {
    const stored = await this.policies.insertNextVersion(toStoredRules(input), actor.username, async (manager, row) => {
      await this.audit.enqueue(manager, {
        action: 'policy_created',
        actor: actorRef(actor),
        case: { program: row.program, regionCode: row.regionCode },
        dataCategories: ['policy', `policy:${row.id}`, `version:${row.version}`],
        status: 'succeeded',
      });
    });
    this.audit.nudge();
    this.logger.log(`policy ${stored.regionCode}/${stored.program} v${stored.version} (from ${stored.effectiveFrom}) created by ${actor.username}`);
    return toPolicyView(stored);
  }
}

/** The accepted object with defaults filled in, in a fixed field order (it becomes policy_json). */
export function toStoredRules(input: CreatePolicyDto): StoredPolicyRules {
  const rules: StoredPolicyRules = {
    regionCode: input.regionCode,
    program: input.program,
    effectiveFrom: input.effectiveFrom,
    standardMonthly: { urban: input.standardMonthly.urban, rural: input.standardMonthly.rural },
    incomeLookbackMonths: input.incomeLookbackMonths ?? POLICY_DEFAULTS.incomeLookbackMonths,
    financialAssetsMonthsLimit: input.financialAssetsMonthsLimit,
    maxCountedVehicles: input.maxCountedVehicles,
    exemptVehicleTypes: [...(input.exemptVehicleTypes ?? POLICY_DEFAULTS.exemptVehicleTypes)],
    maxResidentialProperties: input.maxResidentialProperties,
    maxNonResidentialProperties: input.maxNonResidentialProperties,
    employmentDeductionMonthly: input.employmentDeductionMonthly ?? POLICY_DEFAULTS.employmentDeductionMonthly,
    discrepancyTolerance: input.discrepancyTolerance
      ? { absolute: input.discrepancyTolerance.absolute, relative: input.discrepancyTolerance.relative }
      : { ...POLICY_DEFAULTS.discrepancyTolerance },
  };
  // Extensions are stored only when sent: absent means the rule does not apply.
  for (const field of POLICY_EXTENSION_FIELDS) {
    if (input[field] !== undefined) rules[field] = input[field];
  }
  return rules;
}
