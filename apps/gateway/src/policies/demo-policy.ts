import type { CreatePolicyDto } from './policy.dto';

/** The demo policy of the single-process mode: domain.md section 6's illustrative dibao figures for region 500115. */
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
