/**
 * Review and objections against the real gateway AND the real aggregator (its bootstrap, as the hub starts
 * it) on one PostgreSQL database and the in-process transport. No adapter runs: every provider times out
 * after a short deadline, so each verification gets a real report version 1 (partial); a late answer or
 * an objection's re-check produces version 2, computed and published by the aggregator itself.
 */
import { QueryAnswered, QueryRequested, Topics, VerificationRequested, queryRequestedTopic } from '@verihub/contracts';
import { inProcessBroker, resetInProcessBroker, type MessagingConfig } from '@verihub/messaging';
// A test may start another app through its bootstrap (as apps/hub does); the app code never imports it.
import { migrateAggregator, startAggregator, type RunningAggregator } from '../../../aggregator/src/aggregator.app';
import { testAggregatorKeys } from '@verihub/domain/consent/testing/test-keys';
import { signedAsProvider } from '../../../../libs/adapter-sdk/src/testing/signed-answers';
import { eventually, startGatewayHarness, type GatewayHarness } from '../testing/gateway-harness';
import { APPLICANT_ID, validPolicy, validVerificationRequest } from '../testing/households';

const BANKS = ['ICBC', 'CCB'];
const PROVIDERS = ['public-security', 'tax', 'housing', 'provident-fund', 'bank:ICBC', 'bank:CCB'];
const DEADLINE_MS = 1200;
const DAY = 24 * 3600_000;

const aggregatorMessaging: MessagingConfig = {
  transport: 'in-process',
  brokers: [],
  clientId: 'aggregator',
  groupId: 'verihub-aggregator',
  consumer: { retryAttempts: 2, retryInitialDelayMs: 10 },
};

interface Detail {
  status: string;
  reportVersion: number;
  reviewState: string;
  report?: Record<string, unknown>;
}

describe('review and objections (real gateway and aggregator, real PostgreSQL, in-process transport)', () => {
  let h: GatewayHarness;
  let aggregator: RunningAggregator;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    resetInProcessBroker();
    h = await startGatewayHarness({ bankCodes: BANKS });
    await migrateAggregator({ databaseUrl: h.db.url });
    aggregator = await startAggregator({
      databaseUrl: h.db.url,
      messaging: aggregatorMessaging,
      bankCodes: BANKS,
      providerDeadlineMs: DEADLINE_MS,
      sweepIntervalMs: 50,
      poolSize: 4,
      logger: false,
      ...testAggregatorKeys(BANKS),
    });
    for (const name of ['officer', 'reviewer', 'auditor', 'admin']) tokens[name] = await h.token(name);
    await as('admin').post('/api/v1/policies').send(validPolicy()).expect(201);
    await as('admin').post('/api/v1/policies').send(validPolicy({ regionCode: '500116' })).expect(201);
    await as('admin').post('/api/v1/users').send({ username: 'reviewer.cq', password: 'another-region-pw', role: 'reviewer', regionCode: '500116' }).expect(201);
    tokens['reviewer.cq'] = await h.token('reviewer.cq', 'another-region-pw');
    await as('admin').post('/api/v1/users').send({ username: 'officer.cq', password: 'another-region-pw', role: 'officer', regionCode: '500116' }).expect(201);
    tokens['officer.cq'] = await h.token('officer.cq', 'another-region-pw');
  });

  afterAll(async () => {
    await aggregator?.close();
    await h?.close();
    resetInProcessBroker();
  });

  function as(user: string) {
    const auth = (test: ReturnType<ReturnType<GatewayHarness['http']>['get']>) => test.set('Authorization', `Bearer ${tokens[user]}`);
    return {
      get: (path: string) => auth(h.http().get(path)),
      post: (path: string) => auth(h.http().post(path)),
    };
  }

  const detail = async (id: string, user = 'officer'): Promise<Detail> => (await as(user).get(`/api/v1/verifications/${id}`).expect(200)).body as Detail;

  async function waitForVersion(id: string, version: number, user = 'officer'): Promise<Detail> {
    let seen: Detail | undefined;
    await eventually(async () => {
      seen = await detail(id, user);
      return seen.reportVersion >= version && seen.status !== 'pending';
    }, `report version ${version} of ${id}`, 15_000);
    return seen!;
  }

  /** A verification with report version 1 issued by the aggregator (every provider timed out). */
  async function issuedVerification(regionCode = '500115'): Promise<string> {
    const creator = regionCode === '500115' ? 'officer' : 'officer.cq';
    const created = await as(creator).post('/api/v1/verifications').send(validVerificationRequest({ regionCode })).expect(201);
    await waitForVersion(created.body.id, 1, creator);
    return created.body.id as string;
  }

  /** A provider answers after its deadline: the aggregator issues the next version ("late answer from tax"). */
  async function lateAnswerFromTax(id: string, expectedVersion: number): Promise<void> {
    const query = inProcessBroker()
      .read(queryRequestedTopic('tax'))
      .filter((m) => m.key === id)
      .map((m) => QueryRequested.decode(m.value))
      .at(-1)!;
    const answer = signedAsProvider(QueryAnswered.fromPartial({
      requestId: query.requestId,
      verificationId: id,
      provider: 'tax',
      answeredAt: new Date().toISOString(),
      records: [],
      notFoundIdNumbers: query.members.map((m) => m.idNumber),
    }));
    await h.publisher.publish([{ topic: Topics.queryAnswered, key: id, value: QueryAnswered.encode(answer).finish() }]);
    await waitForVersion(id, expectedVersion);
  }

  const sign = (id: string, body: object, user = 'reviewer') => as(user).post(`/api/v1/verifications/${id}/report/signature`).send(body);
  const object = (id: string, body: object, user = 'officer') => as(user).post(`/api/v1/verifications/${id}/objections`).send(body);

  async function expectNothingStored<T>(work: () => Promise<T>): Promise<T> {
    const counts = async () => ({
      signatures: await h.count('report_signatures'),
      objections: await h.count('objections'),
      outbox: await h.countBusinessOutbox(),
    });
    const before = await counts();
    const result = await work();
    expect(await counts()).toEqual(before);
    return result;
  }

  /** A Monday 10:00 in Shanghai at least 9 days ago, so that 8 calendar days later is still in the past. */
  function pastMonday(): Date {
    let day = new Date(Date.now() - 9 * DAY);
    while (new Date(day.getTime() + 8 * 3600_000).getUTCDay() !== 1) day = new Date(day.getTime() - DAY);
    return new Date(`${new Date(day.getTime() + 8 * 3600_000).toISOString().slice(0, 10)}T10:00:00+08:00`);
  }

  let signedId: string;
  let signedAt: string;

  it('lets a reviewer sign the newest version: 201, and the report, its versions and the lists show the review', async () => {
    signedId = await issuedVerification();
    expect(await detail(signedId)).toMatchObject({ status: 'partial', reportVersion: 1, reviewState: 'unsigned' });

    const response = await sign(signedId, { version: 1, comment: '  已核对，材料齐全。\r\n第二行  ' }).expect(201);
    expect(response.body).toEqual({
      verificationId: signedId,
      version: 1,
      signedBy: 'reviewer',
      signedAt: expect.any(String),
      comment: '已核对，材料齐全。\n第二行',
    });
    signedAt = response.body.signedAt;
    expect(Math.abs(Date.parse(signedAt) - Date.now())).toBeLessThan(60_000);

    const review = { signedBy: 'reviewer', signedAt, comment: '已核对，材料齐全。\n第二行' };
    const report = await as('officer').get(`/api/v1/verifications/${signedId}/report`).expect(200);
    expect(report.body).toMatchObject({ verificationId: signedId, version: 1, review });
    const v1 = await as('reviewer').get(`/api/v1/verifications/${signedId}/report?version=1`).expect(200);
    expect(v1.body.review).toEqual(review);

    const seen = await detail(signedId);
    expect(seen).toMatchObject({ reviewState: 'signed', report: { version: 1, review } });
    const list = await as('officer').get('/api/v1/verifications?pageSize=100').expect(200);
    expect(list.body.items).toContainEqual(expect.objectContaining({ id: signedId, reviewState: 'signed' }));
  });

  it('refuses to sign a second time: 409, the first signature stands', async () => {
    const again = await expectNothingStored(() => sign(signedId, { version: 1, comment: 'changed my mind' }).expect(409));
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.body).toMatchObject({
      status: 409,
      type: 'urn:verihub:problem:report-already-signed',
      detail: expect.stringContaining(`already signed by reviewer at ${signedAt}`),
      errors: [{ field: 'version', message: 'is already signed' }],
    });
    const report = await as('officer').get(`/api/v1/verifications/${signedId}/report`).expect(200);
    expect(report.body.review.comment).toBe('已核对，材料齐全。\n第二行');
  });

  it('lets only reviewers of the region sign: officers, auditors and administrators 403, another region’s reviewer 404', async () => {
    const id = await issuedVerification();
    for (const user of ['officer', 'auditor', 'admin']) {
      const refused = await expectNothingStored(() => sign(id, { version: 1 }, user).expect(403));
      expect(refused.body).toMatchObject({ status: 403, type: 'urn:verihub:problem:role-not-allowed' });
    }
    const elsewhere = await expectNothingStored(() => sign(id, { version: 1 }, 'reviewer.cq').expect(404));
    expect(elsewhere.body).toMatchObject({ type: 'urn:verihub:problem:verification-not-found' });
    expect((await detail(id)).reviewState).toBe('unsigned');
  });

  it('signs only the newest version: an outdated one is 409 naming the newer version, a missing one 404', async () => {
    const id = await issuedVerification();
    await lateAnswerFromTax(id, 2);
    const versions = await as('reviewer').get(`/api/v1/verifications/${id}/report/versions`).expect(200);
    expect(versions.body.items.map((v: { changeReason: string }) => v.changeReason)).toEqual(['first issue', 'late answer from tax']);

    const outdated = await expectNothingStored(() => sign(id, { version: 1 }).expect(409));
    expect(outdated.body).toMatchObject({
      type: 'urn:verihub:problem:report-version-superseded',
      detail: expect.stringContaining('version 2 is newer'),
      errors: [{ field: 'version', message: 'must be the newest version (2)' }],
    });
    const missing = await expectNothingStored(() => sign(id, { version: 3 }).expect(404));
    expect(missing.body).toMatchObject({ type: 'urn:verihub:problem:report-version-not-found', errors: [{ field: 'version', message: 'no such version (newest: 2)' }] });

    await sign(id, { version: 2 }).expect(201);
    const v1 = await as('officer').get(`/api/v1/verifications/${id}/report?version=1`).expect(200);
    expect(v1.body.review).toBeNull();
    const v2 = await as('officer').get(`/api/v1/verifications/${id}/report?version=2`).expect(200);
    expect(v2.body.review).toMatchObject({ signedBy: 'reviewer', comment: null });
  });

  it('refuses a signature before any report exists (404) and bad input (400 naming each field)', async () => {
    const created = await as('officer').post('/api/v1/verifications').send(validVerificationRequest()).expect(201);
    const early = await expectNothingStored(() => sign(created.body.id, { version: 1 }).expect(404));
    expect(early.body.errors).toEqual([{ field: 'version', message: 'no report has been issued yet' }]);

    const cases: Array<[object, Array<{ field: string; message: string }>]> = [
      [{}, [{ field: 'version', message: 'is required' }]],
      [{ version: 0 }, [{ field: 'version', message: 'must be an integer from 1 to 1000000' }]],
      [{ version: '1' }, [{ field: 'version', message: 'must be an integer from 1 to 1000000' }]],
      [{ version: 1, comment: 'x'.repeat(2001) }, [{ field: 'comment', message: 'must be at most 2000 characters' }]],
      [{ version: 1, comment: 'ok\u0007bell' }, [{ field: 'comment', message: 'must not contain control characters (line breaks are allowed)' }]],
      [{ version: 1, comment: 'abc\u202Edef' }, [{ field: 'comment', message: 'must not contain control characters (line breaks are allowed)' }]],
      [{ version: 1, comment: 42 }, [{ field: 'comment', message: 'must be a string' }]],
      [{ version: 1, signedBy: 'someone else' }, [{ field: 'signedBy', message: 'is not an accepted field' }]],
    ];
    for (const [body, errors] of cases) {
      const refused = await expectNothingStored(() => sign(created.body.id, body).expect(400));
      expect(refused.body).toMatchObject({ type: 'urn:verihub:problem:invalid-input', errors });
    }
    await waitForVersion(created.body.id, 1);
    // 2000 characters (CJK counted as one each), surrounded by blanks that are trimmed away: accepted.
    const longest = await sign(created.body.id, { version: 1, comment: `  ${'审'.repeat(2000)}  ` }).expect(201);
    expect(longest.body.comment).toHaveLength(2000);
  });

  it('keeps report versions, signatures and objections unchangeable at the database: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const attempts = [
      [`UPDATE gateway.report_versions SET report = '{}'::jsonb WHERE verification_id = $1 AND version = 1`, [signedId]],
      [`UPDATE gateway.report_versions SET change_reason = 'edited' WHERE verification_id = $1`, [signedId]],
      [`DELETE FROM gateway.report_versions WHERE verification_id = $1`, [signedId]],
      [`UPDATE gateway.report_signatures SET comment = 'edited', signed_by = 'someone' WHERE verification_id = $1`, [signedId]],
      [`DELETE FROM gateway.report_signatures WHERE verification_id = $1`, [signedId]],
      [`TRUNCATE gateway.report_signatures CASCADE`, []],
    ] as const;
    for (const [sql, params] of attempts) {
      await expect(h.pg.query(sql, [...params])).rejects.toThrow(/refused: its rows are written once and never changed/);
    }
    const report = await as('officer').get(`/api/v1/verifications/${signedId}/report?version=1`).expect(200);
    expect(report.body).toMatchObject({ version: 1, review: { signedBy: 'reviewer', comment: '已核对，材料齐全。\n第二行' } });
  });

  it('refuses an objection against an unsigned report or before any report: 422, nothing stored', async () => {
    const unsigned = await issuedVerification();
    const refused = await expectNothingStored(() => object(unsigned, { reason: '工资记录不是本人的' }).expect(422));
    expect(refused.body).toMatchObject({
      status: 422,
      type: 'urn:verihub:problem:report-not-signed',
      detail: expect.stringContaining('Report version 1 is not signed'),
    });
    const created = await as('officer').post('/api/v1/verifications').send(validVerificationRequest()).expect(201);
    const early = await expectNothingStored(() => object(created.body.id, { reason: '工资记录不是本人的' }).expect(422));
    expect(early.body).toMatchObject({ type: 'urn:verihub:problem:report-not-signed', detail: expect.stringContaining('has no report yet') });
    await waitForVersion(created.body.id, 1);
  });

  it('records an objection within 5 working days: 201, a re-check in the outbox, pending until the aggregator issues version 2', async () => {
    const id = await issuedVerification();
    const signature = await sign(id, { version: 1 }).expect(201);
    const outboxBefore = await h.count('outbox');

    const response = await object(id, { reason: ' 申请人称2026年3月的工资记录不是本人的。 ', raisedBy: '张三（申请人）' }).expect(201);
    const objectionId: string = response.body.id;
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      verificationId: id,
      version: 1,
      reason: '申请人称2026年3月的工资记录不是本人的。',
      raisedBy: '张三（申请人）',
      receivedAt: expect.any(String),
      reportReceivedAt: signature.body.signedAt,
      periodLastDay: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      recordedBy: 'officer',
      recordedAt: expect.any(String),
      recheckReason: `objection ${objectionId}`,
      state: 'rechecking',
      answeredByVersion: null,
    });

    // The objection, its re-check request and its audit event (objection_recorded) were committed together.
    expect(await h.count('outbox')).toBe(outboxBefore + 2);
    const { rows } = await h.pg.query<{ topic: string; value: Buffer }>(
      'SELECT topic, value FROM gateway.outbox WHERE message_key = $1 AND topic = $2 ORDER BY id DESC LIMIT 1',
      [id, Topics.verificationRequested],
    );
    expect(rows[0].topic).toBe(Topics.verificationRequested);
    const recheck = VerificationRequested.decode(rows[0].value);
    expect(recheck).toMatchObject({
      verificationId: id,
      recheckReason: `objection ${objectionId}`,
      program: 'dibao',
      purpose: 'application',
      regionCode: '500115',
      requestedBy: 'officer',
      members: [],
    });
    expect(Date.parse(recheck.requestedAt)).toBe(Date.parse(response.body.recordedAt));
    expect(JSON.stringify(recheck)).not.toContain(APPLICANT_ID);
    await expect(h.pg.query('UPDATE gateway.objections SET reason = $1 WHERE id = $2', ['edited', objectionId])).rejects.toThrow(/written once/);
    await expect(h.pg.query('DELETE FROM gateway.objections WHERE id = $1', [objectionId])).rejects.toThrow(/written once/);

    // Pending again, with the objection open; a second objection waits for the re-check.
    expect(await detail(id)).toMatchObject({ status: 'pending', reportVersion: 1, reviewState: 'objection_open' });
    const list = await as('officer').get('/api/v1/verifications?status=pending&pageSize=100').expect(200);
    expect(list.body.items).toContainEqual(expect.objectContaining({ id, status: 'pending', reviewState: 'objection_open' }));
    const second = await expectNothingStored(() => object(id, { reason: '还有一处错误' }).expect(409));
    expect(second.body).toMatchObject({ type: 'urn:verihub:problem:objection-already-open', detail: expect.stringContaining(objectionId) });

    // The aggregator asked every provider again and issued version 2, which names the re-check.
    const after = await waitForVersion(id, 2);
    expect(after).toMatchObject({ reportVersion: 2, reviewState: 'unsigned' });
    for (const provider of PROVIDERS) {
      expect(inProcessBroker().read(queryRequestedTopic(provider)).filter((m) => m.key === id)).toHaveLength(2);
    }
    const versions = await as('officer').get(`/api/v1/verifications/${id}/report/versions`).expect(200);
    expect(versions.body.items.map((v: { version: number; changeReason: string }) => [v.version, v.changeReason])).toEqual([
      [1, 'first issue'],
      [2, `re-check: objection ${objectionId}`],
    ]);
    const objections = await as('reviewer').get(`/api/v1/verifications/${id}/objections`).expect(200);
    expect(objections.body.items).toEqual([expect.objectContaining({ id: objectionId, version: 1, state: 'answered', answeredByVersion: 2 })]);
    expect((await as('officer').get(`/api/v1/verifications/${id}/report`).expect(200)).body).toMatchObject({ version: 2, review: null });
    expect((await as('officer').get(`/api/v1/verifications/${id}/report?version=1`).expect(200)).body.review).toMatchObject({ signedBy: 'reviewer' });

    // Version 2 goes to the reviewer's queue; once signed, it can be objected to in turn.
    const queue = await as('reviewer').get('/api/v1/reviews/pending?pageSize=100').expect(200);
    expect(queue.body.items).toContainEqual(expect.objectContaining({ id, version: 2, changeReason: `re-check: objection ${objectionId}` }));
    await sign(id, { version: 2 }).expect(201);
    await object(id, { reason: '仍有异议' }, 'reviewer').expect(201);
    await waitForVersion(id, 3);
  });

  it('refuses an objection after 5 working days (received 8 calendar days after signing, across a weekend): 422 naming the rule', async () => {
    const id = await issuedVerification();
    // Signed on paper some days ago: the signature row is written as the application writes it.
    const monday = pastMonday();
    await h.pg.query(`INSERT INTO gateway.report_signatures (verification_id, version, signed_by, signed_at, comment) VALUES ($1, 1, 'reviewer', $2, NULL)`, [
      id,
      monday,
    ]);
    const tuesdayAfterNext = new Date(monday.getTime() + 8 * DAY).toISOString();
    const late = await expectNothingStored(() => object(id, { reason: '工资记录有误', receivedAt: tuesdayAfterNext }).expect(422));
    const lastDay = new Date(monday.getTime() + 7 * DAY + 8 * 3600_000).toISOString().slice(0, 10);
    expect(late.body).toMatchObject({
      status: 422,
      type: 'urn:verihub:problem:objection-period-over',
      detail: expect.stringMatching(/within 5 working days of the household’s receipt of the report .*Monday to Friday.*public holidays are not taken into account/),
      errors: [{ field: 'receivedAt', message: `is after the objection period (last day ${lastDay})` }],
    });

    // Dates that cannot be: an objection from the future, a receipt before the signature or after the objection.
    const future = await expectNothingStored(() => object(id, { reason: 'x', receivedAt: new Date(Date.now() + DAY).toISOString() }).expect(422));
    expect(future.body).toMatchObject({ type: 'urn:verihub:problem:objection-dates-inconsistent', errors: [{ field: 'receivedAt', message: 'must not be in the future' }] });
    const early = await expectNothingStored(() =>
      object(id, { reason: 'x', reportReceivedAt: new Date(monday.getTime() - DAY).toISOString() }).expect(422),
    );
    expect(early.body.errors).toEqual([{ field: 'reportReceivedAt', message: expect.stringContaining('must not be before the report was signed') }]);
    const reversed = await expectNothingStored(() =>
      object(id, { reason: 'x', reportReceivedAt: new Date(monday.getTime() + 2 * DAY).toISOString(), receivedAt: new Date(monday.getTime() + DAY).toISOString() }).expect(422),
    );
    expect(reversed.body.errors).toEqual([{ field: 'receivedAt', message: expect.stringContaining('must not be before the household received the report') }]);

    // The household received the report on the Thursday: Friday, Monday, Tuesday — 3 working days, in time.
    const thursday = new Date(monday.getTime() + 3 * DAY).toISOString();
    const inTime = await object(id, { reason: '工资记录有误', receivedAt: tuesdayAfterNext, reportReceivedAt: thursday }, 'reviewer').expect(201);
    expect(inTime.body).toMatchObject({ reportReceivedAt: new Date(thursday).toISOString(), receivedAt: tuesdayAfterNext, recordedBy: 'reviewer' });
    await waitForVersion(id, 2);
  });

  it('lets officers and reviewers of the region record objections (others 403/404) and checks the body (400)', async () => {
    const id = await issuedVerification();
    await sign(id, { version: 1 }).expect(201);
    for (const user of ['auditor', 'admin']) {
      const refused = await expectNothingStored(() => object(id, { reason: '工资记录有误' }, user).expect(403));
      expect(refused.body.type).toBe('urn:verihub:problem:role-not-allowed');
    }
    await expectNothingStored(() => object(id, { reason: '工资记录有误' }, 'reviewer.cq').expect(404));
    await as('auditor').get(`/api/v1/verifications/${id}/objections`).expect(403);
    await as('reviewer.cq').get(`/api/v1/verifications/${id}/objections`).expect(404);

    const cases: Array<[object, Array<{ field: string; message: string }>]> = [
      [{}, [{ field: 'reason', message: 'is required' }]],
      [{ reason: '   ' }, [{ field: 'reason', message: 'must not be empty' }]],
      [{ reason: '审'.repeat(2001) }, [{ field: 'reason', message: 'must be at most 2000 characters' }]],
      [{ reason: 'ok', raisedBy: '张三\n李四' }, [{ field: 'raisedBy', message: 'must not contain control characters or line breaks' }]],
      [{ reason: 'ok', receivedAt: '2026-11-05' }, [{ field: 'receivedAt', message: expect.stringContaining('ISO 8601 date-time with offset') }]],
      [{ reason: 'ok', reportReceivedAt: '2026-11-05T10:00:00' }, [{ field: 'reportReceivedAt', message: expect.stringContaining('with offset') }]],
    ];
    for (const [body, errors] of cases) {
      const refused = await expectNothingStored(() => object(id, body).expect(400));
      expect(refused.body).toMatchObject({ type: 'urn:verihub:problem:invalid-input', errors });
    }
    const none = await as('admin').get(`/api/v1/verifications/${id}/objections`).expect(200);
    expect(none.body).toEqual({ items: [] });
  });

  it('lists the reviewer’s queue: unsigned newest versions of their region only, oldest first; reviewers only', async () => {
    const first = await issuedVerification();
    const [second, signed, elsewhere] = await Promise.all([issuedVerification(), issuedVerification(), issuedVerification('500116')]);
    await sign(signed, { version: 1 }).expect(201);
    const pendingOne = await as('officer').post('/api/v1/verifications').send(validVerificationRequest()).expect(201);

    const queue = await as('reviewer').get('/api/v1/reviews/pending?pageSize=100').expect(200);
    const ids: string[] = queue.body.items.map((i: { id: string }) => i.id);
    expect(ids).toEqual(expect.arrayContaining([first, second]));
    expect(ids).not.toContain(signed);
    expect(ids).not.toContain(elsewhere);
    expect(ids).not.toContain(pendingOne.body.id);
    expect(ids).not.toContain(signedId);
    expect(ids.indexOf(first)).toBeLessThan(ids.indexOf(second));
    expect(queue.body.total).toBe(ids.length);
    const { rows } = await h.pg.query<{ n: string }>(
      `SELECT count(*) AS n FROM gateway.verifications v WHERE region_code = '500115' AND report_version > 0 AND status <> 'pending'
         AND NOT EXISTS (SELECT 1 FROM gateway.report_signatures s WHERE s.verification_id = v.id AND s.version = v.report_version)`,
    );
    expect(queue.body.total).toBe(Number(rows[0].n));
    const issuedAts = queue.body.items.map((i: { issuedAt: string }) => Date.parse(i.issuedAt));
    expect([...issuedAts].sort((a, b) => a - b)).toEqual(issuedAts);
    expect(queue.body.items.find((i: { id: string }) => i.id === first)).toEqual({
      id: first,
      program: 'dibao',
      purpose: 'application',
      regionCode: '500115',
      applicant: { idNumber: `${APPLICANT_ID.slice(0, 6)}********${APPLICANT_ID.slice(-4)}`, name: '张*' },
      status: 'partial',
      version: 1,
      conclusion: 'incomplete',
      issuedAt: expect.any(String),
      changeReason: 'first issue',
    });
    expect(JSON.stringify(queue.body)).not.toContain(APPLICANT_ID);

    const page = await as('reviewer').get('/api/v1/reviews/pending?pageSize=1&page=2').expect(200);
    expect(page.body).toMatchObject({ page: 2, pageSize: 1, total: ids.length, items: [{ id: ids[1] }] });

    const theirs = await as('reviewer.cq').get('/api/v1/reviews/pending').expect(200);
    expect(theirs.body.items.map((i: { id: string }) => i.id)).toEqual([elsewhere]);

    await sign(first, { version: 1 }).expect(201);
    const after = await as('reviewer').get('/api/v1/reviews/pending?pageSize=100').expect(200);
    expect(after.body.items.map((i: { id: string }) => i.id)).not.toContain(first);

    for (const user of ['officer', 'auditor', 'admin']) await as(user).get('/api/v1/reviews/pending').expect(403);
    const bad = await as('reviewer').get('/api/v1/reviews/pending?pageSize=0').expect(400);
    expect(bad.body.errors).toEqual([{ field: 'pageSize', message: 'must be an integer from 1 to 100' }]);
    await waitForVersion(pendingOne.body.id, 1);
  });

  it('documents the review routes with their DTOs in the OpenAPI document', async () => {
    const doc = (await h.http().get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(doc.paths['/api/v1/verifications/{id}/report/signature'])).toEqual(['post']);
    expect(Object.keys(doc.paths['/api/v1/verifications/{id}/objections']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/v1/reviews/pending'])).toEqual(['get']);
    expect(Object.keys(doc.paths['/api/v1/verifications/{id}/report/signature'].post.responses).sort()).toEqual(['201', '400', '401', '403', '404', '409']);
    expect(Object.keys(doc.paths['/api/v1/verifications/{id}/objections'].post.responses).sort()).toEqual(['201', '400', '401', '403', '404', '409', '422']);
    expect(doc.components.schemas).toEqual(
      expect.objectContaining({
        SignReportDto: expect.anything(),
        ReportSignatureView: expect.anything(),
        RecordObjectionDto: expect.anything(),
        ObjectionView: expect.anything(),
        ObjectionListView: expect.anything(),
        ReviewQueuePageView: expect.anything(),
        ReviewQueueItemView: expect.anything(),
      }),
    );
    expect(doc.components.schemas.VerificationSummaryView).toMatchObject({ properties: { reviewState: { enum: ['unsigned', 'signed', 'objection_open'] } } });
  });
});
