import { Topics, VerificationRequested, VerificationStatus, SourceStatus, VerificationUpdated } from '@verihub/contracts';
import { inProcessBroker, readDeadLetters } from '@verihub/messaging';
import { eventually, startGatewayHarness, testMessagingConfig, type GatewayHarness } from '../testing/gateway-harness';
import { APPLICANT_ID, CHILD_ID, SPOUSE_ID, isoDaysFrom, validPolicy, validVerificationRequest } from '../testing/households';

function report(verificationId: string, version: number, conclusion: string, monthlyPerCapita: number) {
  return {
    reportNumber: `R-${version}`,
    verificationId,
    version,
    conclusion,
    income: { monthlyTotal: monthlyPerCapita * 3, monthlyPerCapita, byCategory: { wage: 0, business: 0, property: 0, transfer: 0 } },
    sources: [{ department: 'tax', provider: 'tax', status: 'answered', records: 3, respondedAt: '2026-11-23T10:00:00+08:00' }],
  };
}

describe('verifications (real app, real PostgreSQL, in-process transport)', () => {
  let h: GatewayHarness;
  let officer: string;
  let admin: string;
  let officerOfOtherRegion: string;
  let policyId: string;

  beforeAll(async () => {
    h = await startGatewayHarness();
    officer = await h.token('officer');
    admin = await h.token('admin');
    const policy = await h.http().post('/api/v1/policies').set('Authorization', `Bearer ${admin}`).send(validPolicy()).expect(201);
    policyId = policy.body.id;
    const other = { username: 'officer.cq', password: 'officer-cq-password', role: 'officer', regionCode: '500116' };
    await h.http().post('/api/v1/users').set('Authorization', `Bearer ${admin}`).send(other).expect(201);
    officerOfOtherRegion = await h.token(other.username, other.password);
  });
  afterAll(async () => h?.close());

  const submit = (body: unknown, token = officer) =>
    h.http().post('/api/v1/verifications').set('Authorization', `Bearer ${token}`).send(body as object);

  async function expectNothingStored<T>(work: () => Promise<T>): Promise<T> {
    const counts = async () => ({
      verifications: await h.count('verifications'),
      authorizations: await h.count('authorizations'),
      outbox: await h.countBusinessOutbox(),
    });
    const before = await counts();
    const result = await work();
    expect(await counts()).toEqual(before);
    return result;
  }

  async function publishUpdate(update: Parameters<typeof VerificationUpdated.fromPartial>[0]): Promise<void> {
    const message = VerificationUpdated.fromPartial(update);
    await h.publisher.publish([{ topic: Topics.verificationUpdated, key: message.verificationId, value: VerificationUpdated.encode(message).finish() }]);
  }

  it('accepts a valid household: 201 pending, the row and a decodable VerificationRequested committed together, then published', async () => {
    const response = await submit(validVerificationRequest()).expect(201);
    expect(response.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'pending',
      createdAt: expect.any(String),
      program: 'dibao',
      regionCode: '500115',
      memberCount: 3,
      policy: { id: policyId, version: 1 },
    });
    const id: string = response.body.id;

    const { rows } = await h.pg.query('SELECT status, policy_id, members, created_by FROM gateway.verifications WHERE id = $1', [id]);
    expect(rows).toEqual([{ status: 'pending', policy_id: policyId, members: expect.objectContaining({ v: 1, kid: expect.any(String), ct: expect.any(String) }), created_by: 'officer' }]);

    const outbox = await h.pg.query<{ topic: string; message_key: string; value: Buffer }>(
      'SELECT topic, message_key, value FROM gateway.outbox WHERE message_key = $1 AND topic = $2',
      [id, Topics.verificationRequested],
    );
    expect(outbox.rows).toHaveLength(1);
    expect(outbox.rows[0]).toMatchObject({ topic: Topics.verificationRequested, message_key: id });
    const message = VerificationRequested.decode(outbox.rows[0].value);
    expect(message).toMatchObject({
      verificationId: id,
      program: 'dibao',
      purpose: 'application',
      regionCode: '500115',
      requestedBy: 'officer',
      members: [
        { idNumber: APPLICANT_ID, name: '张三', relation: 'applicant' },
        { idNumber: SPOUSE_ID, name: '李四', relation: 'spouse' },
        { idNumber: CHILD_ID, name: '张小明', relation: 'child' },
      ],
      declared: { monthlyIncome: { wage: 300000, business: 0, property: 0, transfer: 50000 }, financialAssets: 1000000, vehicles: 0, properties: 1 },
      policy: {
        id: policyId,
        version: 1,
        standardMonthlyUrban: 78000,
        standardMonthlyRural: 62000,
        incomeLookbackMonths: 12,
        exemptVehicleTypes: ['motorcycle', 'tricycle', 'disability'],
        discrepancyTolerance: { absolute: 10000, relativeBasisPoints: 1000 },
      },
    });
    expect(message.authorizations.map((a) => a.documentRef)).toEqual(['AUTH-2026-000123', 'AUTH-2026-000124', 'AUTH-2026-000125']);
    expect(JSON.parse(message.policy!.policyJson)).toMatchObject({ ...validPolicy(), id: policyId, version: 1 });

    await eventually(
      () => inProcessBroker().read(Topics.verificationRequested).some((m) => m.key === id),
      'the relay to publish VerificationRequested',
    );
  });

  it('refuses an invalid identity number: 400 naming members[1].idNumber and the check-digit rule; nothing stored', async () => {
    const body = validVerificationRequest();
    const wrong = SPOUSE_ID.slice(0, 17) + (SPOUSE_ID[17] === '0' ? '1' : '0');
    body.members[1].idNumber = wrong;
    body.authorizations[1].idNumber = wrong;
    const response = await expectNothingStored(() => submit(body).expect(400));
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: 'urn:verihub:problem:invalid-input', title: 'Invalid input', status: 400 });
    expect(response.body.errors).toContainEqual({ field: 'members[1].idNumber', message: expect.stringMatching(/check_digit.*check character must be/) });
  });

  it('refuses two applicants', async () => {
    const body = validVerificationRequest();
    body.members[1].relation = 'applicant';
    const response = await expectNothingStored(() => submit(body).expect(400));
    expect(response.body.errors).toContainEqual({ field: 'members', message: expect.stringContaining('exactly one member must have relation "applicant" (found 2)') });
  });

  it('refuses a member without authorization, naming the member (masked)', async () => {
    const body = validVerificationRequest();
    body.authorizations.splice(1, 1);
    const response = await expectNothingStored(() => submit(body).expect(400));
    expect(response.body.errors).toEqual([{ field: 'members[1]', message: expect.stringContaining('has no valid authorization') }]);
    expect(JSON.stringify(response.body)).not.toContain(SPOUSE_ID);
  });

  it('refuses an expired authorization', async () => {
    const body = validVerificationRequest();
    body.authorizations[0].signedAt = isoDaysFrom(new Date(), -400);
    body.authorizations[0].expiresAt = isoDaysFrom(new Date(), -1);
    const response = await expectNothingStored(() => submit(body).expect(400));
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'authorizations[0].expiresAt', message: 'the authorization has expired' },
        { field: 'members[0]', message: expect.stringContaining('has no valid authorization') },
      ]),
    );
  });

  it('refuses shape errors before the rules: unknown fields, fractional fen', async () => {
    const body = { ...validVerificationRequest(), priority: 'high' } as Record<string, unknown>;
    (body.declared as { monthlyIncome: { wage: number } }).monthlyIncome.wage = 12.5;
    const response = await expectNothingStored(() => submit(body).expect(400));
    expect(response.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'priority', message: 'is not an accepted field' },
        { field: 'declared.monthlyIncome.wage', message: expect.stringContaining('integer amount of fen') },
      ]),
    );
  });

  it('refuses a programme with no policy in force: 422 naming the policy', async () => {
    const response = await expectNothingStored(() => submit(validVerificationRequest({ program: 'medical' })).expect(422));
    expect(response.body).toMatchObject({ status: 422, type: 'urn:verihub:problem:no-applicable-policy' });
    expect(response.body.errors).toEqual([{ field: 'policy', message: expect.stringContaining('no medical policy of region 500115 is in force on') }]);
  });

  it('applies the newest policy in force on asOf (highest effectiveFrom ≤ asOf, then highest version)', async () => {
    const future = await h.http().post('/api/v1/policies').set('Authorization', `Bearer ${admin}`).send(validPolicy({ effectiveFrom: '2099-01-01' })).expect(201);
    const older = await h.http().post('/api/v1/policies').set('Authorization', `Bearer ${admin}`).send(validPolicy({ effectiveFrom: '2019-01-01' })).expect(201);
    const response = await submit(validVerificationRequest()).expect(201);
    expect(response.body.policy).toEqual({ id: policyId, version: 1 });
    expect([future.body.version, older.body.version]).toEqual([2, 3]);
    const renewed = await h.http().post('/api/v1/policies').set('Authorization', `Bearer ${admin}`).send(validPolicy()).expect(201);
    const again = await submit(validVerificationRequest()).expect(201);
    expect(again.body.policy).toEqual({ id: renewed.body.id, version: 4 });
  });

  it('lets an officer create only in its own region (403); an administrator takes no case action (403)', async () => {
    await h.http().post('/api/v1/policies').set('Authorization', `Bearer ${admin}`).send(validPolicy({ regionCode: '500116' })).expect(201);
    const response = await expectNothingStored(() => submit(validVerificationRequest({ regionCode: '500116' })).expect(403));
    expect(response.body).toMatchObject({ type: 'urn:verihub:problem:region-not-allowed' });
    const byAdmin = await expectNothingStored(() => submit(validVerificationRequest({ regionCode: '500116' }), admin).expect(403));
    expect(byAdmin.body).toMatchObject({ type: 'urn:verihub:problem:role-not-allowed' });
    await submit(validVerificationRequest({ regionCode: '500116' }), officerOfOtherRegion).expect(201);
    const reviewer = await h.token('reviewer');
    await expectNothingStored(() => submit(validVerificationRequest(), reviewer).expect(403));
  });

  it('hides another region’s verification (404) and answers 400 for an id that is not a uuid', async () => {
    const created = await submit(validVerificationRequest({ regionCode: '500116' }), officerOfOtherRegion).expect(201);
    const other = await h.http().get(`/api/v1/verifications/${created.body.id}`).set('Authorization', `Bearer ${officer}`).expect(404);
    expect(other.body).toMatchObject({ status: 404, type: 'urn:verihub:problem:verification-not-found' });
    await h.http().get(`/api/v1/verifications/${created.body.id}/report`).set('Authorization', `Bearer ${officer}`).expect(404);
    await h.http().get(`/api/v1/verifications/${created.body.id}`).set('Authorization', `Bearer ${admin}`).expect(200);
    const bad = await h.http().get('/api/v1/verifications/not-a-uuid').set('Authorization', `Bearer ${officer}`).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'id', message: 'must be a uuid' }]);
    await h.http().get('/api/v1/verifications/00000000-0000-4000-8000-000000000000').set('Authorization', `Bearer ${officer}`).expect(404);
  });

  it('lists newest first, paged, masked, and only the caller’s region for officers', async () => {
    const mine = await h.http().get('/api/v1/verifications?pageSize=2').set('Authorization', `Bearer ${officer}`).expect(200);
    const { rows } = await h.pg.query<{ id: string }>(`SELECT id FROM gateway.verifications WHERE region_code = '500115' ORDER BY created_at DESC, id DESC`);
    expect(mine.body).toMatchObject({ total: rows.length, page: 1, pageSize: 2 });
    expect(mine.body.items.map((i: { id: string }) => i.id)).toEqual(rows.slice(0, 2).map((r) => r.id));
    expect(mine.body.items[0]).toMatchObject({
      status: 'pending',
      program: 'dibao',
      regionCode: '500115',
      applicant: { idNumber: `${APPLICANT_ID.slice(0, 6)}********${APPLICANT_ID.slice(-4)}`, name: '张*' },
      reportVersion: 0,
      conclusion: null,
    });
    expect(JSON.stringify(mine.body)).not.toContain(APPLICANT_ID);

    const page2 = await h.http().get('/api/v1/verifications?pageSize=2&page=2').set('Authorization', `Bearer ${officer}`).expect(200);
    expect(page2.body.items.map((i: { id: string }) => i.id)).toEqual(rows.slice(2, 4).map((r) => r.id));

    const all = await h.http().get('/api/v1/verifications?pageSize=100').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(all.body.items.map((i: { regionCode: string }) => i.regionCode)).toContain('500116');
    const filtered = await h.http().get('/api/v1/verifications?regionCode=500116').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(filtered.body.items.every((i: { regionCode: string }) => i.regionCode === '500116')).toBe(true);
    await h.http().get('/api/v1/verifications?regionCode=500116').set('Authorization', `Bearer ${officer}`).expect(403);
    const tooBig = await h.http().get('/api/v1/verifications?pageSize=101').set('Authorization', `Bearer ${officer}`).expect(400);
    expect(tooBig.body.errors).toEqual([{ field: 'pageSize', message: 'must be an integer from 1 to 100' }]);
    const none = await h.http().get('/api/v1/verifications?status=complete').set('Authorization', `Bearer ${officer}`).expect(200);
    expect(none.body).toMatchObject({ items: [], total: 0 });
  });

  it('follows the aggregator: report v1 becomes readable, a lower version never regresses it, a redelivery changes nothing', async () => {
    const created = await submit(validVerificationRequest()).expect(201);
    const id: string = created.body.id;
    const get = () => h.http().get(`/api/v1/verifications/${id}`).set('Authorization', `Bearer ${officer}`);

    const pending = await h.http().get(`/api/v1/verifications/${id}/report`).set('Authorization', `Bearer ${officer}`).expect(404);
    expect(pending.body).toMatchObject({ type: 'urn:verihub:problem:report-not-issued', detail: expect.stringContaining('pending') });
    const before = await get().expect(200);
    expect(before.body.sources.map((s: { provider: string }) => s.provider)).toEqual(['public-security', 'tax', 'housing', 'provident-fund', 'bank:ICBC', 'bank:CCB']);
    expect(before.body.sources.every((s: { status: string }) => s.status === 'pending')).toBe(true);
    expect(before.body.report).toBeUndefined();

    const sources = [
      { department: 'tax', provider: 'tax', status: SourceStatus.SOURCE_STATUS_ANSWERED, records: 3, respondedAt: '2026-11-23T10:00:00+08:00' },
      { department: 'bank', provider: 'bank:ICBC', status: SourceStatus.SOURCE_STATUS_TIMEOUT, records: 0, respondedAt: '' },
    ];
    await publishUpdate({
      verificationId: id,
      status: VerificationStatus.VERIFICATION_STATUS_PARTIAL,
      sources,
      reportVersion: 1,
      reportJson: JSON.stringify(report(id, 1, 'incomplete', 50000)),
      updatedAt: '2026-11-23T10:00:30+08:00',
      changeReason: 'first issue',
    });
    await eventually(async () => (await get()).body.reportVersion === 1, 'report version 1');

    const detail = await get().expect(200);
    expect(detail.body).toMatchObject({ status: 'partial', reportVersion: 1, report: { version: 1, conclusion: 'incomplete' } });
    expect(detail.body.sources).toEqual([
      { department: 'tax', provider: 'tax', status: 'answered', records: 3, respondedAt: '2026-11-23T10:00:00+08:00' },
      { department: 'bank', provider: 'bank:ICBC', status: 'timeout', records: 0, respondedAt: null },
    ]);
    const newest = await h.http().get(`/api/v1/verifications/${id}/report`).set('Authorization', `Bearer ${officer}`).expect(200);
    expect(newest.body).toEqual({ ...report(id, 1, 'incomplete', 50000), review: null });

    // Version 2 (a late answer), then a stale version 1 and a redelivered version 2 with other content.
    await publishUpdate({
      verificationId: id,
      status: VerificationStatus.VERIFICATION_STATUS_COMPLETE,
      sources,
      reportVersion: 2,
      reportJson: JSON.stringify(report(id, 2, 'within_limits', 48000)),
      updatedAt: '2026-11-23T10:05:00+08:00',
      changeReason: 'late answer from bank:ICBC',
    });
    await publishUpdate({
      verificationId: id,
      status: VerificationStatus.VERIFICATION_STATUS_PENDING,
      reportVersion: 1,
      reportJson: JSON.stringify(report(id, 1, 'exceeds_limits', 1)),
      updatedAt: '2026-11-23T10:06:00+08:00',
    });
    await publishUpdate({
      verificationId: id,
      status: VerificationStatus.VERIFICATION_STATUS_COMPLETE,
      sources,
      reportVersion: 2,
      reportJson: JSON.stringify(report(id, 2, 'exceeds_limits', 1)),
      updatedAt: '2026-11-23T10:05:00+08:00',
    });
    await eventually(async () => (await get()).body.reportVersion === 2, 'report version 2');
    // The transport handles one group's messages in order: once a later message is applied, the earlier ones were.
    await publishUpdate({
      verificationId: id,
      status: VerificationStatus.VERIFICATION_STATUS_COMPLETE,
      sources,
      reportVersion: 2,
      reportJson: JSON.stringify(report(id, 2, 'within_limits', 48000)),
      updatedAt: '2026-11-23T10:07:00+08:00',
    });
    await eventually(async () => {
      const { rows } = await h.pg.query<{ t: Date }>('SELECT state_updated_at AS t FROM gateway.verifications WHERE id = $1', [id]);
      return rows[0].t?.toISOString() === '2026-11-23T02:07:00.000Z';
    }, 'the last update');

    const after = await get().expect(200);
    expect(after.body).toMatchObject({ status: 'complete', reportVersion: 2, report: { version: 2, conclusion: 'within_limits' } });
    const v1 = await h.http().get(`/api/v1/verifications/${id}/report?version=1`).set('Authorization', `Bearer ${officer}`).expect(200);
    expect(v1.body).toEqual({ ...report(id, 1, 'incomplete', 50000), review: null });
    await h.http().get(`/api/v1/verifications/${id}/report?version=3`).set('Authorization', `Bearer ${officer}`).expect(404);

    const versions = await h.http().get(`/api/v1/verifications/${id}/report/versions`).set('Authorization', `Bearer ${officer}`).expect(200);
    expect(versions.body.items).toEqual([
      { version: 1, createdAt: expect.any(String), changeReason: 'first issue', changes: null },
      {
        version: 2,
        createdAt: expect.any(String),
        changeReason: 'late answer from bank:ICBC',
        changes: expect.arrayContaining([
          { path: 'conclusion', from: 'incomplete', to: 'within_limits' },
          { path: 'income.monthlyPerCapita', from: 50000, to: 48000 },
        ]),
      },
    ]);

    const list = await h.http().get('/api/v1/verifications?status=complete').set('Authorization', `Bearer ${officer}`).expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id, status: 'complete', reportVersion: 2, conclusion: 'within_limits' })]);
  });

  it('keeps report bodies from auditors, and answers 406 for a PDF of a document that is not a household report', async () => {
    const { rows } = await h.pg.query<{ id: string }>('SELECT id FROM gateway.verifications WHERE report_version = 2 LIMIT 1');
    const id = rows[0].id;
    const auditor = await h.token('auditor');
    const seen = await h.http().get(`/api/v1/verifications/${id}`).set('Authorization', `Bearer ${auditor}`).expect(200);
    expect(seen.body).toMatchObject({ id, reportVersion: 2 });
    expect(seen.body.report).toBeUndefined();
    await h.http().get(`/api/v1/verifications/${id}/report`).set('Authorization', `Bearer ${auditor}`).expect(403);
    await h.http().get(`/api/v1/verifications/${id}/report/versions`).set('Authorization', `Bearer ${auditor}`).expect(403);

    const pdf = await h.http().get(`/api/v1/verifications/${id}/report`).set('Authorization', `Bearer ${officer}`).set('Accept', 'application/pdf').expect(406);
    expect(pdf.body).toMatchObject({ status: 406, detail: expect.stringContaining('available as application/json') });
    const reviewer = await h.token('reviewer');
    await h.http().get(`/api/v1/verifications/${id}/report`).set('Authorization', `Bearer ${reviewer}`).expect(200);
  });

  it('dead-letters updates it can never apply (undecodable, invalid, unknown verification) and goes on', async () => {
    const created = await submit(validVerificationRequest()).expect(201);
    const unknownId = '00000000-0000-4000-8000-00000000beef';
    await h.publisher.publish([{ topic: Topics.verificationUpdated, key: 'garbage', value: Uint8Array.from([0xff, 0xff, 0xff]) }]);
    await publishUpdate({ verificationId: created.body.id, status: VerificationStatus.VERIFICATION_STATUS_COMPLETE, reportVersion: 1, reportJson: 'not json' });
    await publishUpdate({ verificationId: unknownId, status: VerificationStatus.VERIFICATION_STATUS_PENDING });
    await publishUpdate({
      verificationId: created.body.id,
      status: VerificationStatus.VERIFICATION_STATUS_PENDING,
      sources: [{ department: 'tax', provider: 'tax', status: SourceStatus.SOURCE_STATUS_NO_RECORD, records: 0, respondedAt: '2026-11-23T10:00:00+08:00' }],
      updatedAt: '2026-11-23T10:00:00+08:00',
    });
    await eventually(async () => {
      const detail = await h.http().get(`/api/v1/verifications/${created.body.id}`).set('Authorization', `Bearer ${officer}`);
      return detail.body.sources?.[0]?.status === 'no_record';
    }, 'the valid update after the bad ones');
    const letters = (await readDeadLetters(testMessagingConfig())).filter((l) => l.originalTopic === Topics.verificationUpdated);
    expect(letters.map((l) => l.reason)).toEqual([
      expect.stringContaining(`cannot decode ${Topics.verificationUpdated}`),
      expect.stringContaining('report_json is not JSON'),
      expect.stringContaining(`no verification ${unknownId}`),
    ]);
  });
});
