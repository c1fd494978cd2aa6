import { AuthorizationRevoked, Topics } from '@verihub/contracts';
import { keyedIdentityHash, type HouseholdMember } from '@verihub/domain';
import { auditEventsInOutbox, issueReport } from '../testing/audit-events';
import { startGatewayHarness, TEST_IDENTITY_HASH_KEY, type GatewayHarness } from '../testing/gateway-harness';
import { APPLICANT_ID, CHILD_ID, SPOUSE_ID, isoDaysFrom, validPolicy, validVerificationRequest } from '../testing/households';

const mask = (id: string) => `${id.slice(0, 6)}********${id.slice(14)}`;
const hash = (id: string) => keyedIdentityHash(id, TEST_IDENTITY_HASH_KEY);
const ALL_PROVIDERS = ['public-security', 'tax', 'housing', 'provident-fund', 'bank:ICBC', 'bank:CCB'];

type Request = ReturnType<typeof validVerificationRequest> & {
  authorizations: (ReturnType<typeof validVerificationRequest>['authorizations'][number] & { scope?: string[] })[];
};

/** A household whose authorizations carry their own document references (each test its own documents). */
function household(prefix: string, regionCode = '500115'): Request {
  const request = validVerificationRequest({ regionCode }) as Request;
  request.authorizations.forEach((a, i) => (a.documentRef = `${prefix}-${i + 1}`));
  return request;
}

describe('authorization records and revocation (real gateway, real PostgreSQL)', () => {
  let h: GatewayHarness;
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({
    get: (path: string) => h.http().get(path).set('Authorization', `Bearer ${tokens[who]}`),
    post: (path: string) => h.http().post(path).set('Authorization', `Bearer ${tokens[who]}`),
  });
  const submit = (body: object, who = 'officer') => as(who).post('/api/v1/verifications').send(body);
  const recordOf = async (documentRef: string, who = 'officer') => {
    const list = await as(who).get(`/api/v1/authorizations?documentRef=${encodeURIComponent(documentRef)}`).expect(200);
    return list.body.items[0] as { id: string; state: string; member: string; verificationIds: string[]; revocationReason: string | null };
  };
  const newAuditEvents = async <T>(act: () => Promise<T>) => {
    const before = (await auditEventsInOutbox(h)).length;
    const result = await act();
    return { result, events: (await auditEventsInOutbox(h)).slice(before).map((e) => e.event) };
  };
  const counts = async () => ({
    verifications: await h.count('verifications'),
    authorizations: await h.count('authorizations'),
    links: await h.count('verification_authorizations'),
    outbox: await h.countBusinessOutbox(),
  });

  beforeAll(async () => {
    h = await startGatewayHarness();
    for (const name of ['officer', 'reviewer', 'auditor', 'admin']) tokens[name] = await h.token(name);
    for (const role of ['officer', 'reviewer']) {
      await as('admin').post('/api/v1/users').send({ username: `${role}.cq`, password: 'other-region-pw', role, regionCode: '500116' }).expect(201);
      tokens[`${role}.cq`] = await h.token(`${role}.cq`, 'other-region-pw');
    }
    await as('admin').post('/api/v1/policies').send(validPolicy()).expect(201);
    await as('admin').post('/api/v1/policies').send(validPolicy({ regionCode: '500116' })).expect(201);
  });
  afterAll(async () => h?.close());

  it('keeps each authorization as a record (keyed hashes and masked forms, never the number), linked to the verification', async () => {
    const created = await submit(household('REC-A')).expect(201);
    const { rows } = await h.pg.query(`SELECT * FROM gateway.authorizations WHERE document_ref LIKE 'REC-A-%' ORDER BY document_ref`);
    expect(rows.map((r) => [r.document_ref, r.member_id_hash, r.member_id_masked, r.signer_id_hash, r.signer_relation, r.scope])).toEqual([
      ['REC-A-1', hash(APPLICANT_ID), mask(APPLICANT_ID), hash(APPLICANT_ID), 'self', null],
      ['REC-A-2', hash(SPOUSE_ID), mask(SPOUSE_ID), hash(SPOUSE_ID), 'self', null],
      ['REC-A-3', hash(CHILD_ID), mask(CHILD_ID), hash(APPLICANT_ID), 'guardian', null],
    ]);
    for (const row of rows) {
      expect(row).toMatchObject({ region_code: '500115', created_by: 'officer', revoked_at: null });
      const text = JSON.stringify(row);
      for (const id of [APPLICANT_ID, SPOUSE_ID, CHILD_ID]) expect(text).not.toContain(id);
    }
    const links = await h.pg.query(`SELECT authorization_id FROM gateway.verification_authorizations WHERE verification_id = $1`, [created.body.id]);
    expect(links.rows).toHaveLength(3);

    const record = await recordOf('REC-A-1');
    expect(record).toMatchObject({ member: mask(APPLICANT_ID), state: 'valid', verificationIds: [created.body.id] });
  });

  it('re-uses the record of the same document, and refuses its reference for another person or with other details', async () => {
    const first = await submit(household('REC-B')).expect(201);
    const before = await counts();
    const second = await submit(household('REC-B')).expect(201);
    const after = await counts();
    expect(after.authorizations).toBe(before.authorizations);
    expect(after.links).toBe(before.links + 3);
    expect((await recordOf('REC-B-2')).verificationIds).toEqual([first.body.id, second.body.id]);

    const otherPerson = household('REC-B');
    [otherPerson.authorizations[0].documentRef, otherPerson.authorizations[1].documentRef] = ['REC-B-2', 'REC-B-1'];
    const stored = await counts();
    const refused = await submit(otherPerson).expect(400);
    expect(refused.body.errors).toEqual(
      expect.arrayContaining([{ field: 'authorizations[0].documentRef', message: expect.stringContaining('another person') }]),
    );
    expect(JSON.stringify(refused.body)).not.toContain(mask(SPOUSE_ID));

    const otherDetails = household('REC-B');
    otherDetails.authorizations[2].expiresAt = isoDaysFrom(new Date(), 30);
    const changed = await submit(otherDetails).expect(400);
    expect(changed.body.errors).toEqual([{ field: 'authorizations[2].documentRef', message: expect.stringContaining('another expiresAt') }]);
    expect(await counts()).toEqual(stored);
  });

  it('refuses an expired authorization, naming the member and "expired", and leaves a verification_refused audit event', async () => {
    const body = household('REC-C');
    body.authorizations[1].signedAt = isoDaysFrom(new Date(), -400);
    body.authorizations[1].expiresAt = isoDaysFrom(new Date(), -1);
    const before = await counts();
    const { result, events } = await newAuditEvents(() => submit(body).expect(400));
    expect(result.body.errors).toContainEqual({ field: 'members[1]', message: expect.stringMatching(new RegExp(`member ${mask(SPOUSE_ID).replace(/\*/g, '\\*')} has no valid authorization: expired \\(REC-C-2 expired at`)) });
    expect(await counts()).toEqual(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'verification_refused',
      actor: { username: 'officer', role: 'officer', regionCode: '500115' },
      case: { verificationId: '', program: 'dibao', regionCode: '500115', authorizationRefs: ['REC-C-1', 'REC-C-2', 'REC-C-3'] },
      subjects: [{ idHash: hash(SPOUSE_ID), idMasked: mask(SPOUSE_ID) }],
      dataCategories: ['authorization_expired'],
      outcome: { status: 'refused', recordCount: 1 },
    });
  });

  it('refuses a missing authorization naming the member, and a scope that does not cover every provider naming those left out', async () => {
    const missing = household('REC-D');
    missing.authorizations.splice(2, 1);
    const refused = await submit(missing).expect(400);
    expect(refused.body.errors).toEqual([{ field: 'members[2]', message: expect.stringContaining(`member ${mask(CHILD_ID)} has no valid authorization: missing`) }]);

    const narrow = household('REC-D');
    narrow.authorizations[0].scope = ['public-security', 'tax'];
    const outOfScope = await submit(narrow).expect(400);
    expect(outOfScope.body.errors).toEqual([
      { field: 'authorizations[0].scope', message: expect.stringContaining('does not cover housing, provident-fund, bank:ICBC, bank:CCB') },
      { field: 'members[0]', message: expect.stringContaining(`member ${mask(APPLICANT_ID)} has no valid authorization: out of scope (REC-D-1 does not cover housing`) },
    ]);

    const unknown = household('REC-D');
    unknown.authorizations[1].scope = [...ALL_PROVIDERS, 'bank:HSBC'];
    const notOurs = await submit(unknown).expect(400);
    expect(notOurs.body.errors).toContainEqual({ field: 'authorizations[1].scope[6]', message: expect.stringContaining('is not a provider of this hub') });
    const malformed = household('REC-D');
    malformed.authorizations[1].scope = ['tax; DROP TABLE x'];
    expect((await submit(malformed).expect(400)).body.errors).toEqual([{ field: 'authorizations[1].scope', message: expect.stringContaining('must list provider ids') }]);

    const full = household('REC-D');
    full.authorizations[0].scope = [...ALL_PROVIDERS].reverse();
    await submit(full).expect(201);
    const { rows } = await h.pg.query(`SELECT scope FROM gateway.authorizations WHERE document_ref = 'REC-D-1'`);
    expect(rows[0].scope).toEqual([...ALL_PROVIDERS].sort());
  });

  it('revokes for officers and reviewers of the region only: the record says so, the aggregator is told, the audit log records it', async () => {
    const first = await submit(household('REC-E')).expect(201);
    const second = await submit(household('REC-E')).expect(201);
    const record = await recordOf('REC-E-2');

    await as('auditor').post(`/api/v1/authorizations/${record.id}/revoke`).send({ reason: 'x' }).expect(403);
    await as('admin').post(`/api/v1/authorizations/${record.id}/revoke`).send({ reason: 'x' }).expect(403);
    const foreign = await newAuditEvents(() => as('officer.cq').post(`/api/v1/authorizations/${record.id}/revoke`).send({ reason: 'x' }).expect(404));
    expect(foreign.result.body.type).toBe('urn:verihub:problem:authorization-not-found');
    expect(foreign.events).toEqual([
      expect.objectContaining({ action: 'access_refused', actor: expect.objectContaining({ username: 'officer.cq' }), dataCategories: ['authorization'] }),
    ]);
    expect(foreign.events[0].subjects).toEqual([{ idHash: hash(SPOUSE_ID), idMasked: mask(SPOUSE_ID) }]);
    expect((await as('officer.cq').get('/api/v1/authorizations?documentRef=REC-E-2').expect(200)).body.items).toEqual([]);
    await as('officer').post(`/api/v1/authorizations/${record.id}/revoke`).send({}).expect(400);

    const { result, events } = await newAuditEvents(() =>
      as('reviewer').post(`/api/v1/authorizations/${record.id}/revoke`).send({ reason: '  本人书面撤回授权  ' }).expect(200),
    );
    expect(result.body).toMatchObject({ id: record.id, state: 'revoked', revokedBy: 'reviewer', revocationReason: '本人书面撤回授权', member: mask(SPOUSE_ID) });
    expect(result.headers['content-type']).toMatch(/^application\/json/);
    expect(events).toEqual([
      expect.objectContaining({
        action: 'authorization_revoked',
        actor: expect.objectContaining({ username: 'reviewer', role: 'reviewer' }),
        case: expect.objectContaining({ authorizationRefs: ['REC-E-2'], regionCode: '500115' }),
        subjects: [{ idHash: hash(SPOUSE_ID), idMasked: mask(SPOUSE_ID) }],
        outcome: { status: 'succeeded', recordCount: 2 },
      }),
    ]);
    const notices = await h.pg.query<{ message_key: string; value: Buffer }>(`SELECT message_key, value FROM gateway.outbox WHERE topic = $1`, [
      Topics.authorizationRevoked,
    ]);
    expect(notices.rows).toHaveLength(1);
    expect(notices.rows[0].message_key).toBe(record.id);
    expect(AuthorizationRevoked.decode(notices.rows[0].value)).toEqual({
      authorizationId: record.id,
      memberIdHash: hash(SPOUSE_ID),
      revokedAt: result.body.revokedAt,
      verificationIds: [first.body.id, second.body.id],
    });
    expect((await recordOf('REC-E-2', 'reviewer')).state).toBe('revoked');
    const again = await as('officer').post(`/api/v1/authorizations/${record.id}/revoke`).send({ reason: 'again' }).expect(409);
    expect(again.body.type).toBe('urn:verihub:problem:authorization-already-revoked');
  });

  it('refuses a new verification citing a revoked authorization (400 naming the member, "revoked") and records the refusal', async () => {
    await submit(household('REC-F')).expect(201);
    const record = await recordOf('REC-F-1');
    await as('officer').post(`/api/v1/authorizations/${record.id}/revoke`).send({ reason: '撤回' }).expect(200);

    const before = await counts();
    const { result, events } = await newAuditEvents(() => submit(household('REC-F')).expect(400));
    expect(result.body.errors).toEqual([
      { field: 'authorizations[0].documentRef', message: expect.stringContaining('the authorization was revoked at') },
      { field: 'members[0]', message: expect.stringContaining(`member ${mask(APPLICANT_ID)} has no valid authorization: revoked (REC-F-1 revoked at`) },
    ]);
    expect(await counts()).toEqual(before);
    expect(events).toEqual([
      expect.objectContaining({
        action: 'verification_refused',
        subjects: [{ idHash: hash(APPLICANT_ID), idMasked: mask(APPLICANT_ID) }],
        dataCategories: ['authorization_revoked'],
        outcome: { status: 'refused', recordCount: 1 },
      }),
    ]);
  });

  it('refuses an objection re-check of a verification whose member’s authorization is revoked (422 naming the member)', async () => {
    const body = household('REC-G');
    const created = await submit(body).expect(201);
    await issueReport(h, created.body.id, body.members as HouseholdMember[]);
    await as('reviewer').post(`/api/v1/verifications/${created.body.id}/report/signature`).send({ version: 1 }).expect(201);
    const record = await recordOf('REC-G-3');
    await as('officer').post(`/api/v1/authorizations/${record.id}/revoke`).send({ reason: '监护人撤回' }).expect(200);

    const before = { ...(await counts()), objections: await h.count('objections') };
    const { result, events } = await newAuditEvents(() =>
      as('officer').post(`/api/v1/verifications/${created.body.id}/objections`).send({ reason: '工资记录有误' }).expect(422),
    );
    expect(result.body.type).toBe('urn:verihub:problem:authorization-not-valid');
    expect(result.body.errors).toEqual([
      { field: 'members[2]', message: expect.stringContaining(`member ${mask(CHILD_ID)} has no valid authorization: revoked (REC-G-3 revoked at`) },
    ]);
    expect({ ...(await counts()), objections: await h.count('objections') }).toEqual(before);
    expect(events).toEqual([
      expect.objectContaining({
        action: 'verification_refused',
        case: expect.objectContaining({ verificationId: created.body.id }),
        subjects: [{ idHash: hash(CHILD_ID), idMasked: mask(CHILD_ID) }],
      }),
    ]);
  });

  it('answers another region’s verification by id with 404 and leaves an access_refused trace naming who tried and which case', async () => {
    const created = await submit(household('REC-H')).expect(201);
    for (const path of ['', '/report', '/report/versions', '/objections']) {
      const { result, events } = await newAuditEvents(() => as('officer.cq').get(`/api/v1/verifications/${created.body.id}${path}`).expect(404));
      expect(result.body.type).toBe('urn:verihub:problem:verification-not-found');
      expect(events).toEqual([
        expect.objectContaining({
          action: 'access_refused',
          actor: { username: 'officer.cq', role: 'officer', regionCode: '500116', organisation: '' },
          case: expect.objectContaining({ verificationId: created.body.id, regionCode: '500115' }),
          subjects: [APPLICANT_ID, SPOUSE_ID, CHILD_ID].map((id) => ({ idHash: hash(id), idMasked: mask(id) })),
          outcome: { status: 'refused' },
        }),
      ]);
    }
    const forbidden = await newAuditEvents(() => as('auditor').get(`/api/v1/verifications/${created.body.id}/report`).expect(403));
    expect(forbidden.events).toEqual([expect.objectContaining({ action: 'access_refused', dataCategories: ['report'] })]);
    // Without a token there is nobody to name: 401, no event.
    const anonymous = await newAuditEvents(() => h.http().get(`/api/v1/verifications/${created.body.id}`).expect(401));
    expect(anonymous.events).toEqual([]);
  });

  it('keeps records unchangeable in the database except by one revocation', async () => {
    await submit(household('REC-I')).expect(201);
    await expect(h.pg.query(`UPDATE gateway.authorizations SET expires_at = expires_at + interval '1 year' WHERE document_ref = 'REC-I-1'`)).rejects.toThrow(
      /never changed, except by its revocation/,
    );
    await expect(h.pg.query(`DELETE FROM gateway.authorizations WHERE document_ref = 'REC-I-1'`)).rejects.toThrow(/refused/);
    await expect(h.pg.query(`DELETE FROM gateway.verification_authorizations`)).rejects.toThrow(/refused/);
    await h.pg.query(`UPDATE gateway.authorizations SET revoked_at = now(), revoked_by = 'sql', revocation_reason = 'r' WHERE document_ref = 'REC-I-1'`);
    await expect(h.pg.query(`UPDATE gateway.authorizations SET revoked_at = NULL, revoked_by = NULL, revocation_reason = NULL WHERE document_ref = 'REC-I-1'`)).rejects.toThrow(
      /refused/,
    );
  });
});
