import type { CreatePolicyDto } from './policy.dto';

/** The demo dibao policy of the single-process mode: domain.md section 6's illustrative figures for region 500115. */
export const DEMO_POLICY: CreatePolicyDto = {
  regionCode: '500115',
  program: 'dibao',
  effectiveFrom: '2026-01-01',
  standardMonthly: { urban: 78000, rural: 62000 },
  incomeLookbackMonths: 12,
  financialAssetsMonthsLimit: 24,
  maxCountedVehicles: 0,
  exemptVehicleTypes: ['motorcycle', 'tricycle', 'disability'],
  maxResidentialProperties: 1,
  maxNonResidentialProperties: 0,
  employmentDeductionMonthly: 0,
  discrepancyTolerance: { absolute: 10000, relative: 0.1 },
};

/**
 * The demo housing-assistance policy (region 500115): it exercises the rules the dibao one leaves at 0
 * — a wage disregard (employmentDeductionMonthly ¥500) and the area-per-capita limit (15 m²). The
 * standards, twice dibao's, are illustrative, not an official figure.
 */
export const DEMO_HOUSING_POLICY: CreatePolicyDto = {
  regionCode: '500115',
  program: 'housing',
  effectiveFrom: '2026-01-01',
  standardMonthly: { urban: 156000, rural: 124000 },
  incomeLookbackMonths: 12,
  financialAssetsMonthsLimit: 24,
  maxCountedVehicles: 0,
  exemptVehicleTypes: ['motorcycle', 'tricycle', 'disability'],
  maxResidentialProperties: 1,
  maxNonResidentialProperties: 0,
  employmentDeductionMonthly: 50000,
  discrepancyTolerance: { absolute: 10000, relative: 0.1 },
  maxResidentialAreaPerCapitaM2: 15,
};

/** Every demo policy, each seeded only while its region and programme have none. */
export const DEMO_POLICIES: readonly CreatePolicyDto[] = [DEMO_POLICY, DEMO_HOUSING_POLICY];
