import type { Policy } from '@verihub/contracts';
import type { PolicyEntity } from '../database/policy.entity';
import { currentRules, type AppliedPolicy } from './policy-rules';
import type { PolicyView } from './policy.dto';

export function toAppliedPolicy(entity: PolicyEntity): AppliedPolicy {
  return { ...currentRules(entity.rules), id: entity.id, version: entity.version };
}

export function toPolicyView(entity: PolicyEntity): PolicyView {
  return { id: entity.id, version: entity.version, ...currentRules(entity.rules), createdAt: entity.createdAt.toISOString(), createdBy: entity.createdBy };
}

/**
 * The protobuf form for VerificationRequested: the v1 fields typed, and the whole policy as canonical
 * JSON, which alone carries the extensions (maxResidentialAreaPerCapitaM2); the aggregator lays it
 * over the typed fields.
 */
export function toPolicyMessage(policy: AppliedPolicy): Policy {
  return {
    id: policy.id,
    version: policy.version,
    regionCode: policy.regionCode,
    program: policy.program,
    effectiveFrom: policy.effectiveFrom,
    standardMonthlyUrban: policy.standardMonthly.urban,
    standardMonthlyRural: policy.standardMonthly.rural,
    incomeLookbackMonths: policy.incomeLookbackMonths,
    financialAssetsMonthsLimit: policy.financialAssetsMonthsLimit,
    maxCountedVehicles: policy.maxCountedVehicles,
    exemptVehicleTypes: [...policy.exemptVehicleTypes],
    maxResidentialProperties: policy.maxResidentialProperties,
    maxNonResidentialProperties: policy.maxNonResidentialProperties,
    employmentDeductionMonthly: policy.employmentDeductionMonthly,
    discrepancyTolerance: {
      absolute: policy.discrepancyTolerance.absolute,
      relativeBasisPoints: Math.round(policy.discrepancyTolerance.relative * 10_000),
    },
    policyJson: JSON.stringify(policy),
  };
}
