import { Topics, VerificationRequested } from '@verihub/contracts';
import { startGatewayHarness, type GatewayHarness } from '../testing/gateway-harness';
import { validPolicy, validVerificationRequest } from '../testing/households';

describe('policies (real app, real PostgreSQL)', () => {
  let h: GatewayHarness;
  let admin: string;

  beforeAll(async () => {
    h = await startGatewayHarness();
    admin = await h.token('admin');
  });
  afterAll(async () => h?.close());

  const post = (body: unknown, token = admin) => h.http().post('/api/v1/policies').set('Authorization', `Bearer ${token}`).send(body as object);

  it('creates version 1, then version 2 of the same region and programme; lists both, newest first', async () => {
    const v1 = await post(validPolicy()).expect(201);
    expect(v1.body).toMatchObject({ id: expect.any(String), version: 1, ...validPolicy(), createdBy: 'admin', createdAt: expect.any(String) });

    const v2 = await post(validPolicy({ effectiveFrom: '2026-07-01', standardMonthly: { urban: 80000, rural: 64000 }, maxResidentialAreaPerCapitaM2: 15 })).expect(201);
    expect(v2.body).toMatchObject({ version: 2, effectiveFrom: '2026-07-01', standardMonthly: { urban: 80000, rural: 64000 }, maxResidentialAreaPerCapitaM2: 15 });

    const other = await post(validPolicy({ regionCode: '500116' })).expect(201);
    expect(other.body.version).toBe(1);

    const officer = await h.token('officer');
    const list = await h.http().get('/api/v1/policies?regionCode=500115&program=dibao').set('Authorization', `Bearer ${officer}`).expect(200);
    expect(list.body.items.map((p: { version: number }) => p.version)).toEqual([2, 1]);
    const all = await h.http().get('/api/v1/policies').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(all.body.items).toHaveLength(3);
  });

  it('fills defaults for the optional fields and stores the full object as accepted', async () => {
    const minimal = validPolicy({ program: 'tekun' }) as Record<string, unknown>;
    for (const key of ['incomeLookbackMonths', 'exemptVehicleTypes', 'employmentDeductionMonthly', 'discrepancyTolerance']) delete minimal[key];
    const created = await post(minimal).expect(201);
    expect(created.body).toMatchObject({
      incomeLookbackMonths: 12,
      exemptVehicleTypes: [],
      employmentDeductionMonthly: 0,
      discrepancyTolerance: { absolute: 0, relative: 0 },
    });
    expect(created.body).not.toHaveProperty('maxResidentialAreaPerCapitaM2'); // an extension absent means no such rule
    const { rows } = await h.pg.query<{ rules: Record<string, unknown> }>('SELECT rules FROM gateway.policies WHERE id = $1', [created.body.id]);
    expect(rows[0].rules).toMatchObject({ program: 'tekun', incomeLookbackMonths: 12, standardMonthly: { urban: 78000, rural: 62000 } });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a missing standard', { standardMonthly: { urban: 78000 } }, 'standardMonthly.rural'],
    ['a negative limit', { maxCountedVehicles: -1 }, 'maxCountedVehicles'],
    ['an unknown programme', { program: 'welfare' }, 'program'],
    ['a standard that is not integer fen', { standardMonthly: { urban: 780.5, rural: 62000 } }, 'standardMonthly.urban'],
    ['a fractional amount', { employmentDeductionMonthly: 10.5 }, 'employmentDeductionMonthly'],
    ['an amount as a string', { standardMonthly: { urban: '78000', rural: 62000 } }, 'standardMonthly.urban'],
    ['a malformed date', { effectiveFrom: '2026-1-1' }, 'effectiveFrom'],
    ['a date that does not exist', { effectiveFrom: '2026-02-30' }, 'effectiveFrom'],
    ['an area limit with 3 decimals', { maxResidentialAreaPerCapitaM2: 15.125 }, 'maxResidentialAreaPerCapitaM2'],
    ['a negative area limit', { maxResidentialAreaPerCapitaM2: -1 }, 'maxResidentialAreaPerCapitaM2'],
    ['a vehicle-value tolerance (withdrawn: no provider reports vehicle values)', { toleratedVehicleValueFen: 3000000 }, 'toleratedVehicleValueFen'],
    ['a wage disregard (withdrawn: that is employmentDeductionMonthly)', { wageDisregardMonthly: 249000 }, 'wageDisregardMonthly'],
    ['an unknown vehicle type', { exemptVehicleTypes: ['boat'] }, 'exemptVehicleTypes'],
    ['a relative tolerance above 1', { discrepancyTolerance: { absolute: 0, relative: 2 } }, 'discrepancyTolerance.relative'],
    ['an unknown field', { maxYachts: 0 }, 'maxYachts'],
  ])('refuses %s: 400 naming the field, nothing stored', async (_, change, field) => {
    const before = await h.count('policies');
    const response = await post({ ...validPolicy(), ...change }).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, type: 'urn:verihub:problem:invalid-input' });
    expect(response.body.errors).toContainEqual({ field, message: expect.any(String) });
    expect(await h.count('policies')).toBe(before);
  });

  it('refuses a withdrawn field as an unknown one, in words', async () => {
    const response = await post(validPolicy({ wageDisregardMonthly: 249000, toleratedVehicleValueFen: 3000000 })).expect(400);
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'toleratedVehicleValueFen', message: 'is not an accepted field' },
        { field: 'wageDisregardMonthly', message: 'is not an accepted field' },
      ]),
    );
  });

  it('carries the area limit to the aggregator: the VerificationRequested policy_json holds it', async () => {
    const policy = await post(validPolicy({ program: 'housing', maxResidentialAreaPerCapitaM2: 15 })).expect(201);
    const officer = await h.token('officer');
    const response = await h
      .http()
      .post('/api/v1/verifications')
      .set('Authorization', `Bearer ${officer}`)
      .send(validVerificationRequest({ program: 'housing' }))
      .expect(201);
    expect(response.body.policy).toEqual({ id: policy.body.id, version: 1 });
    const { rows } = await h.pg.query<{ value: Buffer }>('SELECT value FROM gateway.outbox WHERE topic = $1 AND message_key = $2', [
      Topics.verificationRequested,
      response.body.id,
    ]);
    expect(rows).toHaveLength(1);
    const message = VerificationRequested.decode(rows[0].value);
    expect(message.policy).toMatchObject({ id: policy.body.id, program: 'housing' });
    expect(JSON.parse(message.policy!.policyJson)).toMatchObject({ program: 'housing', maxResidentialAreaPerCapitaM2: 15 });
  });

  it('lets only admins create; never edits in place', async () => {
    const officer = await h.token('officer');
    await post(validPolicy(), officer).expect(403);
    const [{ id }] = (await h.pg.query<{ id: string }>('SELECT id FROM gateway.policies LIMIT 1')).rows;
    for (const method of ['put', 'patch', 'delete'] as const) {
      await h.http()[method](`/api/v1/policies/${id}`).set('Authorization', `Bearer ${admin}`).send(validPolicy()).expect(404);
    }
    const auditor = await h.token('auditor');
    await h.http().get('/api/v1/policies').set('Authorization', `Bearer ${auditor}`).expect(403);
  });

  it('validates the list filters', async () => {
    const response = await h.http().get('/api/v1/policies?program=welfare').set('Authorization', `Bearer ${admin}`).expect(400);
    expect(response.body.errors).toEqual([{ field: 'program', message: expect.stringContaining('must be one of') }]);
  });

  it('seeds the demo policies once (region 500115: dibao, and housing with the area limit) when that region has none', async () => {
    const fresh = await startGatewayHarness({ demoPolicy: true });
    try {
      const token = await fresh.token('admin');
      const list = await fresh.http().get('/api/v1/policies').set('Authorization', `Bearer ${token}`).expect(200);
      expect(list.body.items).toEqual([
        expect.objectContaining({ regionCode: '500115', program: 'dibao', version: 1, effectiveFrom: '2026-01-01', createdBy: 'system', employmentDeductionMonthly: 0 }),
        expect.objectContaining({
          regionCode: '500115',
          program: 'housing',
          version: 1,
          effectiveFrom: '2026-01-01',
          createdBy: 'system',
          standardMonthly: { urban: 156000, rural: 124000 },
          employmentDeductionMonthly: 50000,
          maxResidentialAreaPerCapitaM2: 15,
        }),
      ]);
      expect(list.body.items[0]).not.toHaveProperty('maxResidentialAreaPerCapitaM2');
      expect(await fresh.gateway.seedDemoPolicy()).toBe(false);
      expect(await fresh.count('policies')).toBe(2);
    } finally {
      await fresh.close();
    }
  });

  it('seeds only the demo policy whose region and programme have none', async () => {
    const fresh = await startGatewayHarness();
    try {
      const token = await fresh.token('admin');
      await fresh.http().post('/api/v1/policies').set('Authorization', `Bearer ${token}`).send(validPolicy()).expect(201);
      expect(await fresh.gateway.seedDemoPolicy()).toBe(true);
      const list = await fresh.http().get('/api/v1/policies').set('Authorization', `Bearer ${token}`).expect(200);
      expect(list.body.items.map((p: { program: string; version: number; createdBy: string }) => [p.program, p.version, p.createdBy])).toEqual([
        ['dibao', 1, 'admin'],
        ['housing', 1, 'system'],
      ]);
    } finally {
      await fresh.close();
    }
  });
});
