import { createServer, type IncomingHttpHeaders, type Server } from 'http';
import type { AddressInfo } from 'net';
import type { HouseholdMember } from '@verihub/domain';
import { keyedIdentityHash } from '@verihub/domain';
import { auditActions, auditEventsInOutbox, binary, issueReport } from '../testing/audit-events';
import { startGatewayHarness, TEST_IDENTITY_HASH_KEY, type GatewayHarness } from '../testing/gateway-harness';
import { APPLICANT_ID, CHILD_ID, SPOUSE_ID, validPolicy, validVerificationRequest } from '../testing/households';
import { AUDIT_OPENING_HEADER } from './audit-openings.controller';

const IDS = [APPLICANT_ID, SPOUSE_ID, CHILD_ID];
const NAMES = ['张三', '李四', '张小明'];
const mask = (id: string) => `${id.slice(0, 6)}********${id.slice(14)}`;

interface Forwarded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in for the audit service: records what reaches it; CSV routes answer a large CSV in chunks. */
async function startAuditStub(csv: string): Promise<{ server: Server; url: string; received: Forwarded[] }> {
  const received: Forwarded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (req.url?.startsWith('/api/v1/audit/entries.csv') || req.url === '/api/v1/audit/entries/export') {
        res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="audit-log-7.csv"' });
        const bytes = Buffer.from(csv, 'utf8');
        let offset = 0;
        const next = () => {
          if (offset >= bytes.length) return res.end();
          res.write(bytes.subarray(offset, offset + 64 * 1024));
          offset += 64 * 1024;
          setImmediate(next);
        };
        return next();
      }
      if (req.url?.startsWith('/api/v1/audit/anomalies')) {
        res.writeHead(400, { 'content-type': 'application/problem+json' });
        return res.end(JSON.stringify({ type: 'urn:verihub:problem:invalid-input', status: 400, errors: [{ field: 'from', message: 'bad' }] }));
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: [], total: 0, page: 1, pageSize: 50 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

describe('what the gateway records for the audit office (real gateway, real PostgreSQL)', () => {
  let h: GatewayHarness;
  let stub: Awaited<ReturnType<typeof startAuditStub>>;
  const csv = 'sequence,action\n' + Array.from({ length: 40_000 }, (_, i) => `${i + 1},report_read`).join('\n') + '\n';
  const tokens: Record<string, string> = {};
  let verificationId: string;

  const as = (who: string) => ({
    get: (path: string) => h.http().get(path).set('Authorization', `Bearer ${tokens[who]}`),
    post: (path: string) => h.http().post(path).set('Authorization', `Bearer ${tokens[who]}`),
  });

  beforeAll(async () => {
    stub = await startAuditStub(csv);
    h = await startGatewayHarness({ auditUrl: stub.url });
    for (const name of ['officer', 'reviewer', 'auditor', 'admin']) tokens[name] = await h.token(name);
    await as('admin').post('/api/v1/policies').send(validPolicy()).expect(201);
    const created = await as('officer').post('/api/v1/verifications').send(validVerificationRequest()).expect(201);
    verificationId = created.body.id;
    await issueReport(h, verificationId, validVerificationRequest().members as HouseholdMember[]);
  });
  afterAll(async () => {
    await h?.close();
    await new Promise((resolve) => stub?.server.close(resolve));
  });

  const newEvents = async (act: () => Promise<unknown>) => {
    const before = (await auditEventsInOutbox(h)).length;
    await act();
    return (await auditEventsInOutbox(h)).slice(before);
  };

  it('records sign-ins and the administrator’s acts', async () => {
    const actions = await auditActions(h);
    expect(actions.filter((a) => a === 'login_succeeded')).toHaveLength(4);
    expect(actions).toContain('policy_created');
    const events = await auditEventsInOutbox(h);
    const policy = events.find((e) => e.event.action === 'policy_created')!.event;
    expect(policy).toMatchObject({ actor: { username: 'admin', role: 'admin', regionCode: '500115' }, case: { program: 'dibao', regionCode: '500115' } });
  });

  it('puts verification_created in the outbox with the request: masked subjects and keyed hashes, no identity number or name', async () => {
    const events = (await auditEventsInOutbox(h)).filter((e) => e.event.action === 'verification_created');
    expect(events).toHaveLength(1);
    const [{ key, bytes, event }] = events;
    expect(key).toBe(verificationId);
    expect(event).toMatchObject({
      sourceService: 'gateway',
      actor: { username: 'officer', role: 'officer', regionCode: '500115' },
      case: { verificationId, program: 'dibao', purpose: 'application', regionCode: '500115', authorizationRefs: ['AUTH-2026-000123', 'AUTH-2026-000124', 'AUTH-2026-000125'] },
      outcome: { status: 'succeeded', recordCount: 3 },
    });
    expect(event.subjects).toEqual(IDS.map((id) => ({ idHash: keyedIdentityHash(id, TEST_IDENTITY_HASH_KEY), idMasked: mask(id) })));
    const text = bytes.toString('utf8');
    for (const secret of [...IDS, ...NAMES]) expect(text).not.toContain(secret);
  });

  it('records each report read and each PDF export, one event each', async () => {
    const read = await newEvents(() => as('officer').get(`/api/v1/verifications/${verificationId}/report`).expect(200));
    expect(read.map((e) => e.event.action)).toEqual(['report_read']);
    expect(read[0].event).toMatchObject({ case: { verificationId }, dataCategories: ['report'], outcome: { status: 'succeeded', recordCount: 1 } });
    expect(read[0].event.subjects.map((s) => s.idMasked)).toEqual(IDS.map(mask));

    const version = await newEvents(() => as('reviewer').get(`/api/v1/verifications/${verificationId}/report?version=1`).expect(200));
    expect(version.map((e) => [e.event.action, e.event.actor?.username])).toEqual([['report_read', 'reviewer']]);

    const pdf = await newEvents(() =>
      as('officer').get(`/api/v1/verifications/${verificationId}/report`).set('Accept', 'application/pdf').buffer(true).parse(binary).expect(200),
    );
    expect(pdf.map((e) => e.event.action)).toEqual(['report_exported']);
    expect(pdf[0].event.latencyMs).toBeGreaterThanOrEqual(0);
    expect(pdf[0].event.dataCategories).toEqual(['report', 'application/pdf']);

    // The detail with the report body is a read too; without one (auditors) it is not.
    expect((await newEvents(() => as('officer').get(`/api/v1/verifications/${verificationId}`).expect(200))).map((e) => e.event.action)).toEqual(['report_read']);
    expect(await newEvents(() => as('auditor').get(`/api/v1/verifications/${verificationId}`).expect(200))).toEqual([]);
    for (const e of [...read, ...version, ...pdf]) for (const secret of [...IDS, ...NAMES]) expect(e.bytes.toString('utf8')).not.toContain(secret);
  });

  it('records signing and objections in their transactions', async () => {
    const signed = await newEvents(() => as('reviewer').post(`/api/v1/verifications/${verificationId}/report/signature`).send({ version: 1 }).expect(201));
    expect(signed.map((e) => [e.event.action, e.event.actor?.username, e.event.case?.verificationId])).toEqual([['report_signed', 'reviewer', verificationId]]);
    const objected = await newEvents(() =>
      as('officer').post(`/api/v1/verifications/${verificationId}/objections`).send({ reason: `申请人${APPLICANT_ID}称工资记录有误` }).expect(201),
    );
    expect(objected.map((e) => e.event.action)).toEqual(['objection_recorded']);
    expect(objected[0].bytes.toString('utf8')).not.toContain('工资');
  });

  it('records a failed sign-in: the account when there is one, never the typed text otherwise', async () => {
    const known = await newEvents(() => h.http().post('/api/v1/auth/token').send({ username: 'officer', password: 'wrong-password' }).expect(401));
    expect(known.map((e) => [e.event.action, e.event.actor?.username, e.event.actor?.role, e.event.outcome?.status])).toEqual([
      ['login_failed', 'officer', 'officer', 'failed'],
    ]);
    expect(known[0].event.subjects).toEqual([]);
    const typed = 'my-secret-password-typed-as-username';
    const unknown = await newEvents(() => h.http().post('/api/v1/auth/token').send({ username: typed, password: 'whatever-else' }).expect(401));
    expect(unknown.map((e) => [e.event.action, e.event.actor?.username, e.event.actor?.role])).toEqual([['login_failed', '(unknown)', 'none']]);
    expect(unknown[0].bytes.toString('utf8')).not.toContain(typed);
    expect(unknown[0].key).toBe(unknown[0].event.eventId);
  });

  it('records account administration', async () => {
    const created = await newEvents(() =>
      as('admin').post('/api/v1/users').send({ username: 'officer.audit', password: 'officer-audit-pw', role: 'officer', regionCode: '500115' }).expect(201),
    );
    expect(created.map((e) => [e.event.action, e.event.dataCategories])).toEqual([['user_created', ['user:officer.audit', 'role:officer', 'region:500115']]]);
    expect(created[0].bytes.toString('utf8')).not.toContain('officer-audit-pw');
    const changed = await newEvents(() => h.http().patch('/api/v1/users/officer.audit').set('Authorization', `Bearer ${tokens.admin}`).send({ active: false }).expect(200));
    expect(changed.map((e) => e.event.action)).toEqual(['user_updated']);
    expect(changed[0].event.dataCategories).toEqual(expect.arrayContaining(['user:officer.audit', 'field:active', 'active:false']));
  });

  it('refuses auditors report bodies (403, nothing opened), except through an audit opening, which is recorded with its reason', async () => {
    const refused = await newEvents(() => as('auditor').get(`/api/v1/verifications/${verificationId}/report`).expect(403));
    expect(refused.map((e) => e.event.action)).not.toContain('audit_report_opened');
    expect((await h.pg.query('SELECT 1 FROM gateway.audit_openings')).rows).toHaveLength(0);

    const reason = '审计抽查：2026年第四季度低保复核';
    let response: { body: Record<string, unknown>; headers: Record<string, string> } | undefined;
    const opened = await newEvents(async () => {
      response = await as('auditor').post('/api/v1/audit/openings').send({ verificationId, reason }).expect(201);
    });
    expect(response!.body).toMatchObject({ verificationId, version: 1 });
    expect(opened.map((e) => e.event.action)).toEqual(['audit_report_opened']);
    expect(opened[0].event).toMatchObject({
      eventId: response!.headers[AUDIT_OPENING_HEADER.toLowerCase()],
      actor: { username: 'auditor', role: 'auditor' },
      case: { verificationId, program: 'dibao', regionCode: '500115' },
      dataCategories: ['report', 'version:1'],
    });
    expect(opened[0].bytes.toString('utf8')).not.toContain('审计抽查');
    const { rows } = await h.pg.query(`SELECT id, verification_id, version, reason, opened_by FROM gateway.audit_openings`);
    expect(rows).toEqual([{ id: opened[0].event.eventId, verification_id: verificationId, version: 1, reason, opened_by: 'auditor' }]);
    await expect(h.pg.query(`UPDATE gateway.audit_openings SET reason = 'x'`)).rejects.toThrow(/never changed/);
  });

  it('refuses an opening without a reason, with an identity number in it, of an unknown report, or by anyone but an auditor', async () => {
    const before = await auditActions(h);
    const noReason = await as('auditor').post('/api/v1/audit/openings').send({ verificationId }).expect(400);
    expect(noReason.body.errors).toEqual([{ field: 'reason', message: expect.any(String) }]);
    const long = await as('auditor').post('/api/v1/audit/openings').send({ verificationId, reason: 'x'.repeat(501) }).expect(400);
    expect(long.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    const withId = await as('auditor').post('/api/v1/audit/openings').send({ verificationId, reason: `check ${APPLICANT_ID}` }).expect(400);
    expect(withId.body.errors).toEqual([{ field: 'reason', message: 'must not contain an identity number (refer to the case instead)' }]);
    await as('auditor').post('/api/v1/audit/openings').send({ verificationId, version: 9, reason: 'audit' }).expect(404);
    await as('auditor').post('/api/v1/audit/openings').send({ verificationId: '00000000-0000-4000-8000-000000000000', reason: 'audit' }).expect(404);
    await as('officer').post('/api/v1/audit/openings').send({ verificationId, reason: 'audit' }).expect(403);
    expect(await auditActions(h)).toEqual(before);
  });

  it('forwards the auditor API with the caller’s token and query, streaming a CSV back unchanged', async () => {
    stub.received.length = 0;
    const search = await as('auditor').get('/api/v1/audit/entries?officer=officer&action=report_read&page=2').expect(200);
    expect(search.body).toEqual({ items: [], total: 0, page: 1, pageSize: 50 });
    expect(stub.received[0]).toMatchObject({ method: 'GET', url: '/api/v1/audit/entries?officer=officer&action=report_read&page=2' });
    expect(stub.received[0].headers.authorization).toBe(`Bearer ${tokens.auditor}`);

    const exported = await as('auditor').get('/api/v1/audit/entries.csv?program=dibao').buffer(true).parse(binary).expect(200);
    expect(exported.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(exported.headers['content-disposition']).toBe('attachment; filename="audit-log-7.csv"');
    expect((exported.body as Buffer).toString('utf8')).toBe(csv);

    await as('auditor').post('/api/v1/audit/entries/search').send({ idNumber: APPLICANT_ID }).expect(200);
    expect(stub.received.at(-1)).toMatchObject({ method: 'POST', url: '/api/v1/audit/entries/search', body: JSON.stringify({ idNumber: APPLICANT_ID }) });
    const posted = await as('auditor').post('/api/v1/audit/entries/export').send({ program: 'dibao' }).buffer(true).parse(binary).expect(200);
    expect((posted.body as Buffer).toString('utf8')).toBe(csv);

    // The audit service's own refusals come back as they are.
    const bad = await as('auditor').get('/api/v1/audit/anomalies?from=yesterday').expect(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body.errors).toEqual([{ field: 'from', message: 'bad' }]);
  });

  it('forwards nothing for other roles (403) or without a token (401)', async () => {
    stub.received.length = 0;
    for (const who of ['officer', 'reviewer', 'admin']) await as(who).get('/api/v1/audit/entries.csv').expect(403);
    await h.http().get('/api/v1/audit/chain').expect(401);
    expect(stub.received).toEqual([]);
  });
});

describe('audit forwarding without an audit service', () => {
  it('answers 502 when the audit service is unreachable, and 503 when none is configured', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const unreachable = await startGatewayHarness({ auditUrl: `http://127.0.0.1:${port}` });
    try {
      const token = await unreachable.token('auditor');
      const res = await unreachable.http().get('/api/v1/audit/chain').set('Authorization', `Bearer ${token}`).expect(502);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 502, type: 'urn:verihub:problem:audit-service-unreachable' });
    } finally {
      await unreachable.close();
    }

    const unconfigured = await startGatewayHarness();
    try {
      const token = await unconfigured.token('auditor');
      const res = await unconfigured.http().get('/api/v1/audit/entries').set('Authorization', `Bearer ${token}`).expect(503);
      expect(res.body).toMatchObject({ status: 503, type: 'urn:verihub:problem:audit-service-not-configured' });
    } finally {
      await unconfigured.close();
    }
  });
});
