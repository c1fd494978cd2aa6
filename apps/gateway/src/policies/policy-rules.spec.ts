import type { ArgumentMetadata } from '@nestjs/common';
import { GatewayException } from '../errors/gateway.exception';
import { createValidationPipe } from '../http/validation';
import type { PolicyEntity } from '../database/policy.entity';
import { validPolicy } from '../testing/households';
import { toStoredRules } from './create-policy.use-case';
import { DEMO_HOUSING_POLICY, DEMO_POLICIES, DEMO_POLICY } from './demo-policy';
import { currentRules, type StoredPolicyRules } from './policy-rules';
import { CreatePolicyDto } from './policy.dto';
import { toAppliedPolicy, toPolicyMessage, toPolicyView } from './policy.mapper';

const pipe = createValidationPipe();

async function accepted(body: unknown): Promise<CreatePolicyDto> {
  try {
    return (await pipe.transform(body, { type: 'body', metatype: CreatePolicyDto } as ArgumentMetadata)) as CreatePolicyDto;
  } catch (err) {
    if (err instanceof GatewayException) throw new Error(`refused: ${JSON.stringify(err.errors)}`);
    throw err;
  }
}

function entity(rules: StoredPolicyRules): PolicyEntity {
  return {
    id: '6a1f0000-0000-4000-8000-000000000001',
    version: 2,
    regionCode: rules.regionCode,
    program: rules.program,
    effectiveFrom: rules.effectiveFrom,
    rules,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    createdBy: 'admin',
  } as PolicyEntity;
}

describe('policy rules: the extension is stored, shown and sent only when set', () => {
  it('stores maxResidentialAreaPerCapitaM2 when sent, and no key at all when not', async () => {
    expect(toStoredRules(await accepted(validPolicy({ maxResidentialAreaPerCapitaM2: 15.5 })))).toMatchObject({ maxResidentialAreaPerCapitaM2: 15.5 });
    expect(toStoredRules(await accepted(validPolicy()))).not.toHaveProperty('maxResidentialAreaPerCapitaM2');
  });

  it('sends the extension in policy_json (the typed fields are v1 only)', async () => {
    const rules = toStoredRules(await accepted(validPolicy({ program: 'housing', maxResidentialAreaPerCapitaM2: 15 })));
    const message = toPolicyMessage(toAppliedPolicy(entity(rules)));
    expect(message).toMatchObject({ program: 'housing', version: 2, standardMonthlyUrban: 78000 });
    expect(JSON.parse(message.policyJson)).toEqual({ ...rules, id: '6a1f0000-0000-4000-8000-000000000001', version: 2 });
    expect(JSON.parse(message.policyJson).maxResidentialAreaPerCapitaM2).toBe(15);
  });

  it('leaves withdrawn fields that a row stored before the change may hold out of what it shows and sends', () => {
    const old = { ...toStoredRules(validPolicy() as CreatePolicyDto), toleratedVehicleValueFen: 3_000_000, wageDisregardMonthly: 249_000 } as StoredPolicyRules;
    for (const shown of [currentRules(old), toPolicyView(entity(old)), toAppliedPolicy(entity(old)), JSON.parse(toPolicyMessage(toAppliedPolicy(entity(old))).policyJson)]) {
      expect(shown).not.toHaveProperty('toleratedVehicleValueFen');
      expect(shown).not.toHaveProperty('wageDisregardMonthly');
      expect(shown).toMatchObject({ employmentDeductionMonthly: 0, maxCountedVehicles: 0 });
    }
  });
});

describe('demo policies', () => {
  it('are valid policy objects as an administrator would post them', async () => {
    for (const policy of DEMO_POLICIES) await expect(accepted(JSON.parse(JSON.stringify(policy)))).resolves.toBeDefined();
  });

  it('seed 500115 dibao as in domain.md section 6, and 500115 housing with the rules dibao leaves at 0', () => {
    expect(DEMO_POLICIES.map((p) => [p.regionCode, p.program, p.effectiveFrom])).toEqual([
      ['500115', 'dibao', '2026-01-01'],
      ['500115', 'housing', '2026-01-01'],
    ]);
    expect(DEMO_POLICY).not.toHaveProperty('maxResidentialAreaPerCapitaM2');
    expect(DEMO_HOUSING_POLICY).toEqual({
      ...DEMO_POLICY,
      program: 'housing',
      standardMonthly: { urban: 156000, rural: 124000 },
      employmentDeductionMonthly: 50000,
      maxResidentialAreaPerCapitaM2: 15,
    });
  });
});
