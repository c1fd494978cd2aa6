import type { HouseholdMember } from '@verihub/domain';
import type { Response } from 'supertest';
import { openFrom, SealedPlaces } from '../database/sealed-columns';
import { issueReport } from '../testing/audit-events';
import { startGatewayHarness, type GatewayHarness } from '../testing/gateway-harness';
import { validPolicy, validVerificationRequest } from '../testing/households';

/**
 * Injection in every free-text field of every route that takes text (issue 4 item 8): each payload is
 * either refused with 400 naming the field, or stored verbatim and returned JSON-escaped — never executed.
 * Every answer is JSON (never HTML) with nosniff, never a 5xx; at the end the schema still has all its
 * tables and the row counts add up. NUL bytes and very long strings are always 400 (with the limit).
 */
const LONG = 'x'.repeat(5000);
const PAYLOADS: [string, string][] = [
  ['SQL', `'; DROP TABLE gateway.verifications; --`],
  ['SQL in double quotes', `" OR 1=1; DELETE FROM gateway.users; --`],
  ['script', '<script>alert(1)</script>'],
  ['template', '${7*7}{{7*7}}#{7*7}'],
  ['path traversal', '../../etc/passwd'],
  ['NUL byte', 'a\u0000b'],
  ['very long', LONG],
];
const ALWAYS_REFUSED = new Set(['a\u0000b', LONG]);

interface FieldCase {
  /** "POST /api/v1/verifications members[0].name" */
  name: string;
  /** The field the refusal must name. */
  field: string;
  send(payload: string): Promise<Response>;
  /** How an accepted payload is checked to be stored and returned verbatim; absent: it must be refused. */
  verbatim?(response: Response, payload: string): Promise<void>;
  /** Another refusal than 400 this route answers (sign-in: 401, never saying which field). */
  otherRefusal?: number;
  /** Free text: the limit a very long string is refused with ("must be at most N characters"). Enums and codes name what they accept instead. */
  maxLength?: number;
}

describe('SQL and script injection in every free-text field (real gateway, real PostgreSQL)', () => {
  let h: GatewayHarness;
  const tokens: Record<string, string> = {};
  let tablesBefore: string[];
  let created = 0;
  let documentNumber = 0;
  const as = (who: string) => ({
    get: (path: string) => h.http().get(path).set('Authorization', `Bearer ${tokens[who]}`),
    post: (path: string) => h.http().post(path).set('Authorization', `Bearer ${tokens[who]}`),
    patch: (path: string) => h.http().patch(path).set('Authorization', `Bearer ${tokens[who]}`),
  });

  function household() {
    const request = validVerificationRequest();
    documentNumber += 1;
    request.authorizations.forEach((a, i) => (a.documentRef = `INJ-${documentNumber}-${i + 1}`));
    return request;
  }
  async function createCase(body = household()): Promise<string> {
    const response = await as('officer').post('/api/v1/verifications').send(body).expect(201);
    created += 1;
    return response.body.id as string;
  }
  async function reportedCase(): Promise<string> {
    const body = household();
    const id = await createCase(body);
    await issueReport(h, id, body.members as HouseholdMember[]);
    return id;
  }
  async function signedCase(): Promise<string> {
    const id = await reportedCase();
    await as('reviewer').post(`/api/v1/verifications/${id}/report/signature`).send({ version: 1 }).expect(201);
    return id;
  }
  const stored = async (sql: string, params: unknown[]) => (await h.pg.query(sql, params)).rows[0];

  const CASES: FieldCase[] = [
    {
      name: 'POST /api/v1/verifications members[0].name',
      field: 'members[0].name', maxLength: 64,
      send: (p) => {
        const body = household();
        body.members[0].name = p;
        return as('officer').post('/api/v1/verifications').send(body);
      },
      verbatim: async (res, p) => {
        created += 1;
        // Stored sealed (encryption at rest): opened with the gateway's key, the name is exactly what was sent.
        const { members } = await stored(`SELECT members FROM gateway.verifications WHERE id = $1`, [res.body.id]);
        expect(openFrom<HouseholdMember[]>(SealedPlaces.members, members)[0].name).toBe(p);
        const detail = await as('officer').get(`/api/v1/verifications/${res.body.id}`).expect(200).expect('content-type', /^application\/json/);
        expect(detail.body.id).toBe(res.body.id);
      },
    },
    {
      name: 'POST /api/v1/verifications members[0].idNumber',
      field: 'members[0].idNumber',
      send: (p) => {
        const body = household();
        body.members[0].idNumber = p;
        return as('officer').post('/api/v1/verifications').send(body);
      },
    },
    {
      name: 'POST /api/v1/verifications authorizations[0].documentRef',
      field: 'authorizations[0].documentRef', maxLength: 64,
      send: (p) => {
        const body = household();
        body.authorizations[0].documentRef = p;
        return as('officer').post('/api/v1/verifications').send(body);
      },
      verbatim: async (_res, p) => {
        created += 1;
        const list = await as('officer').get('/api/v1/authorizations').query({ documentRef: p }).expect(200).expect('content-type', /^application\/json/);
        expect(list.body.items.map((i: { documentRef: string }) => i.documentRef)).toEqual([p]);
      },
    },
    {
      name: 'POST /api/v1/verifications authorizations[1].signedBy',
      field: 'authorizations[1].signedBy', maxLength: 64,
      send: (p) => {
        const body = household();
        body.authorizations[1].signedBy = p;
        return as('officer').post('/api/v1/verifications').send(body);
      },
    },
    ...(['program', 'status', 'regionCode'] as const).map(
      (param): FieldCase => ({
        name: `GET /api/v1/verifications?${param}=`,
        field: param,
        send: (p) => as('officer').get('/api/v1/verifications').query({ [param]: p }),
      }),
    ),
    ...(['program', 'regionCode'] as const).map(
      (param): FieldCase => ({
        name: `GET /api/v1/policies?${param}=`,
        field: param,
        send: (p) => as('officer').get('/api/v1/policies').query({ [param]: p }),
      }),
    ),
    {
      name: 'GET /api/v1/authorizations?documentRef=',
      field: 'documentRef', maxLength: 64,
      send: (p) => as('officer').get('/api/v1/authorizations').query({ documentRef: p }),
      // Only records whose reference is exactly the text (the documentRef case above stored some).
      verbatim: async (res, p) => {
        for (const item of res.body.items as { documentRef: string }[]) expect(item.documentRef).toBe(p);
      },
    },
    {
      name: 'POST /api/v1/authorizations/{id}/revoke reason',
      field: 'reason',
      maxLength: 500,
      send: async (p) => {
        const id = await createCase();
        const record = (await as('officer').get(`/api/v1/verifications/${id}`)).body.id as string;
        const { rows } = await h.pg.query(
          `SELECT authorization_id FROM gateway.verification_authorizations WHERE verification_id = $1 LIMIT 1`,
          [record],
        );
        return as('officer').post(`/api/v1/authorizations/${rows[0].authorization_id}/revoke`).send({ reason: p });
      },
      verbatim: async (res, p) => {
        expect(res.body.revocationReason).toBe(p);
        expect((await stored(`SELECT revocation_reason FROM gateway.authorizations WHERE id = $1`, [res.body.id])).revocation_reason).toBe(p);
      },
    },
    {
      name: 'POST /api/v1/verifications/{id}/report/signature comment',
      field: 'comment', maxLength: 2000,
      send: async (p) => as('reviewer').post(`/api/v1/verifications/${await reportedCase()}/report/signature`).send({ version: 1, comment: p }),
      verbatim: async (res, p) => {
        expect((await stored(`SELECT comment FROM gateway.report_signatures WHERE verification_id = $1`, [res.body.verificationId])).comment).toBe(p);
      },
    },
    ...(['reason', 'raisedBy'] as const).map(
      (field): FieldCase => ({
        name: `POST /api/v1/verifications/{id}/objections ${field}`,
        field,
        maxLength: field === 'reason' ? 2000 : 200,
        send: async (p) =>
          as('officer')
            .post(`/api/v1/verifications/${await signedCase()}/objections`)
            .send(field === 'reason' ? { reason: p } : { reason: '工资记录有误', raisedBy: p }),
        verbatim: async (res, p) => {
          expect(res.body[field]).toBe(p);
          const list = await as('officer').get(`/api/v1/verifications/${res.body.verificationId}/objections`).expect(200);
          expect(list.body.items[0][field]).toBe(p);
        },
      }),
    ),
    {
      name: 'POST /api/v1/audit/openings reason',
      field: 'reason',
      maxLength: 500,
      send: async (p) => as('auditor').post('/api/v1/audit/openings').send({ verificationId: await reportedCase(), reason: p }),
      verbatim: async (res, p) => {
        const id = res.headers['verihub-audit-opening'] as string;
        expect((await stored(`SELECT reason FROM gateway.audit_openings WHERE id = $1`, [id])).reason).toBe(p);
      },
    },
    {
      name: 'POST /api/v1/users username',
      field: 'username',
      send: (p) => as('admin').post('/api/v1/users').send({ username: p, password: 'a-good-password-1', role: 'officer', regionCode: '500115' }),
    },
    {
      name: 'POST /api/v1/users password',
      field: 'password',
      maxLength: 200,
      send: (p) => {
        documentNumber += 1;
        return as('admin').post('/api/v1/users').send({ username: `inj.user${documentNumber}`, password: `pw-${p}`, role: 'officer', regionCode: '500115' });
      },
      verbatim: async (res, p) => {
        // Stored as a hash, never as text: the same characters sign in.
        const signIn = await h.http().post('/api/v1/auth/token').send({ username: res.body.username, password: `pw-${p}` });
        expect(signIn.status).toBe(200);
      },
    },
    {
      name: 'PATCH /api/v1/users/{username}',
      field: 'username',
      send: (p) => as('admin').patch(`/api/v1/users/${encodeURIComponent(p)}`).send({ active: false }),
      otherRefusal: 404,
    },
    {
      name: 'POST /api/v1/auth/token username',
      field: 'username',
      maxLength: 64,
      send: (p) => h.http().post('/api/v1/auth/token').send({ username: p, password: 'whatever-it-is' }),
      otherRefusal: 401,
    },
  ];

  beforeAll(async () => {
    h = await startGatewayHarness({ signInLockout: { maxFailures: 1000 } });
    for (const name of ['officer', 'reviewer', 'auditor', 'admin']) tokens[name] = await h.token(name);
    await as('admin').post('/api/v1/policies').send(validPolicy()).expect(201);
    tablesBefore = (await h.pg.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'gateway' ORDER BY 1`)).rows.map(
      (r) => r.table_name as string,
    );
  });
  afterAll(async () => h?.close());

  describe.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, fieldCase) => {
    it.each(PAYLOADS)('%s: refused naming the field, or stored and returned verbatim as JSON', async (_label, payload) => {
      const response = await fieldCase.send(payload);
      expect(response.status).toBeLessThan(500);
      expect(response.headers['content-type']).toMatch(/^application\/(problem\+)?json/);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      const mustRefuse = ALWAYS_REFUSED.has(payload) || !fieldCase.verbatim;
      if (response.status === 400 || mustRefuse) {
        if (fieldCase.otherRefusal !== undefined && response.status === fieldCase.otherRefusal) return;
        expect(response.status).toBe(400);
        const named = (response.body.errors as { field: string; message: string }[]).filter((e) => e.field === fieldCase.field);
        expect(named).not.toEqual([]);
        if (payload === LONG && fieldCase.maxLength !== undefined) expect(named[0].message).toBe(`must be at most ${fieldCase.maxLength} characters`);
        return;
      }
      expect(response.status).toBeGreaterThanOrEqual(200);
      expect(response.status).toBeLessThan(300);
      await fieldCase.verbatim!(response, payload);
    });
  });

  it('still has every table, and the rows add up', async () => {
    const tables = (await h.pg.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'gateway' ORDER BY 1`)).rows.map(
      (r) => r.table_name as string,
    );
    expect(tables).toEqual(tablesBefore);
    expect(tables).toEqual(expect.arrayContaining(['verifications', 'users', 'authorizations', 'outbox']));
    expect(await h.count('verifications')).toBe(created);
    expect(await h.count('users')).toBeGreaterThanOrEqual(4);
    const demo = await h.pg.query(`SELECT username FROM gateway.users WHERE username IN ('officer', 'reviewer', 'auditor', 'admin') ORDER BY 1`);
    expect(demo.rows.map((r) => r.username)).toEqual(['admin', 'auditor', 'officer', 'reviewer']);
  });
});
