import type { PolicyRules, PolicyVersion } from '@verihub/domain';

/**
 * Rules beyond the v1 fields of domain.md section 6, for regional rules the report computation will
 * apply later. They are validated, stored with the policy and travel in `policy_json` to the aggregator.
 */
export interface PolicyExtensions {
  /** Housing assistance: residential floor area per capita at or below this many m² (e.g. 15). */
  maxResidentialAreaPerCapitaM2?: number;
  /** A counted vehicle worth at most this much (fen) is tolerated (Chongqing: ¥30,000 = 3,000,000). */
  toleratedVehicleValueFen?: number;
  /** Monthly wage income disregarded per working member, in fen (Shanghai: up to the minimum wage). */
  wageDisregardMonthly?: number;
}

export const POLICY_EXTENSION_FIELDS = ['maxResidentialAreaPerCapitaM2', 'toleratedVehicleValueFen', 'wageDisregardMonthly'] as const;

/** The full policy object as accepted (defaults filled in): what `policies.rules` holds. */
export type StoredPolicyRules = PolicyRules & PolicyExtensions;

/** A stored version with its identity: what a verification applies and the aggregator receives. */
export type AppliedPolicy = PolicyVersion & PolicyExtensions;

export const VEHICLE_TYPES = ['car', 'truck', 'motorcycle', 'tricycle', 'disability'] as const;

export const POLICY_DEFAULTS = {
  incomeLookbackMonths: 12,
  employmentDeductionMonthly: 0,
  exemptVehicleTypes: [] as string[],
  discrepancyTolerance: { absolute: 0, relative: 0 },
} as const;
