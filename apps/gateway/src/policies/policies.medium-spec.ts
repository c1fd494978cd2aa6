import { startGatewayHarness, type GatewayHarness } from '../testing/gateway-harness';
import { validPolicy } from '../testing/households';

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

    const v2 = await post(validPolicy({ effectiveFrom: '2026-07-01', standardMonthly: { urban: 80000, rural: 64000 }, wageDisregardMonthly: 249000 })).expect(201);
    expect(v2.body).toMatchObject({ version: 2, effectiveFrom: '2026-07-01', standardMonthly: { urban: 80000, rural: 64000 }, wageDisregardMonthly: 249000 });

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
    const { rows } = await h.pg.query<{ rules: Record<string, unknown> }>('SELECT rules FROM gateway.policies WHERE id = $1', [created.body.id]);
    expect(rows[0].rules).toMatchObject({ program: 'tekun', incomeLookbackMonths: 12, standardMonthly: { urban: 78000, rural: 62000 } });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a missing standard', { standardMonthly: { urban: 78000 } }, 'standardMonthly.rural'],
    ['a negative limit', { maxCountedVehicles: -1 }, 'maxCountedVehicles'],
    ['an unknown programme', { program: 'welfare' }, 'program'],
    ['a fractional amount', { employmentDeductionMonthly: 10.5 }, 'employmentDeductionMonthly'],
    ['an amount as a string', { standardMonthly: { urban: '78000', rural: 62000 } }, 'standardMonthly.urban'],
    ['a malformed date', { effectiveFrom: '2026-1-1' }, 'effectiveFrom'],
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

  it('seeds the demo policy once (region 500115, dibao) when that region has none', async () => {
    const fresh = await startGatewayHarness({ demoPolicy: true });
    try {
      const token = await fresh.token('admin');
      const list = await fresh.http().get('/api/v1/policies').set('Authorization', `Bearer ${token}`).expect(200);
      expect(list.body.items).toEqual([
        expect.objectContaining({ regionCode: '500115', program: 'dibao', version: 1, effectiveFrom: '2026-01-01', createdBy: 'system' }),
      ]);
      expect(await fresh.gateway.seedDemoPolicy()).toBe(false);
      expect(await fresh.count('policies')).toBe(1);
    } finally {
      await fresh.close();
    }
  });
});
