import type { PolicyRules, PolicyVersion } from '@verihub/domain';

/**
 * Rules beyond the v1 fields of domain.md section 6 that the report computation applies (libs/domain
 * policy.ts documents each). Optional: stored only when sent, and carried in `policy_json` to the
 * aggregator (the typed protobuf fields are v1's).
 */
export const POLICY_EXTENSION_FIELDS = ['maxResidentialAreaPerCapitaM2'] as const;

/**
 * Fields an earlier format accepted that the hub never applied, now refused as unknown (400): a
 * vehicle-value tolerance (no provider reports vehicle values) and a wage disregard (that is
 * employmentDeductionMonthly). A row stored before the change may still hold them; reads leave them out.
 */
export const WITHDRAWN_POLICY_FIELDS = ['toleratedVehicleValueFen', 'wageDisregardMonthly'] as const;

/** The full policy object as accepted (defaults filled in): what `policies.rules` holds. */
export type StoredPolicyRules = PolicyRules;

/** A stored version with its identity: what a verification applies and the aggregator receives. */
export type AppliedPolicy = PolicyVersion;

/** The stored rules without withdrawn fields: what the hub applies, hence what it shows and sends. */
export function currentRules(rules: StoredPolicyRules): StoredPolicyRules {
  const current: Record<string, unknown> = { ...rules };
  for (const field of WITHDRAWN_POLICY_FIELDS) delete current[field];
  return current as unknown as StoredPolicyRules;
}

export const VEHICLE_TYPES = ['car', 'truck', 'motorcycle', 'tricycle', 'disability'] as const;

export const POLICY_DEFAULTS = {
  incomeLookbackMonths: 12,
  employmentDeductionMonthly: 0,
  exemptVehicleTypes: [] as string[],
  discrepancyTolerance: { absolute: 0, relative: 0 },
} as const;
