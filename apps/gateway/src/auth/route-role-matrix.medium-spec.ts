import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import type { Role } from '../database/user.entity';
import { startGatewayHarness, type GatewayHarness } from '../testing/gateway-harness';
import { validPolicy, validVerificationRequest } from '../testing/households';

/**
 * Every route of the gateway, walked with every role (issue 4 item 4). The routes come from the OpenAPI
 * document the gateway serves, so a new route fails this test until it is classified here.
 * - 'public': no token needed (not 401 without one);
 * - a list of roles: exactly these may call it (anything but 401/403 for them: 2xx, or 400/404/409/422 for
 *   a syntactically allowed call with an empty body or a dummy id), 403 for every other role, 401 without a token.
 * Least privilege (domain.md section 2): officers create and read their region's cases; reviewers read their
 * region's and sign; officers and reviewers list and revoke their region's authorization records; auditors read the verification log of all regions but no report body; administrators
 * manage users, policies and providers and take no case action; operators see their adapter's health only.
 */
const ROUTES: Record<string, 'public' | Role[]> = {
  'POST /api/v1/auth/token': 'public',
  'GET /api/v1/health': 'public',

  'GET /api/v1/users': ['admin'],
  'POST /api/v1/users': ['admin'],
  'PATCH /api/v1/users/{username}': ['admin'],

  'GET /api/v1/policies': ['officer', 'reviewer', 'admin'],
  'POST /api/v1/policies': ['admin'],

  'POST /api/v1/verifications': ['officer'],
  'GET /api/v1/verifications': ['officer', 'reviewer', 'auditor', 'admin'],
  'GET /api/v1/verifications/{id}': ['officer', 'reviewer', 'auditor', 'admin'],
  'GET /api/v1/verifications/{id}/report': ['officer', 'reviewer', 'admin'],
  'GET /api/v1/verifications/{id}/report/versions': ['officer', 'reviewer', 'admin'],
  'POST /api/v1/verifications/{id}/report/signature': ['reviewer'],
  'POST /api/v1/verifications/{id}/objections': ['officer', 'reviewer'],
  'GET /api/v1/verifications/{id}/objections': ['officer', 'reviewer', 'admin'],
  'GET /api/v1/reviews/pending': ['reviewer'],

  // Caseload batches: officers hand them over for their region; administrators follow and cancel them.
  'POST /api/v1/batches': ['officer'],
  'GET /api/v1/batches': ['officer', 'admin'],
  'GET /api/v1/batches/{id}': ['officer', 'admin'],
  'GET /api/v1/batches/{id}/errors': ['officer', 'admin'],
  'GET /api/v1/batches/{id}/results': ['officer', 'admin'],
  'POST /api/v1/batches/{id}/cancel': ['officer', 'admin'],

  // Authorization records: the officers who attach them and the reviewers who handle objections, of the region.
  'GET /api/v1/authorizations': ['officer', 'reviewer'],
  'POST /api/v1/authorizations/{id}/revoke': ['officer', 'reviewer'],

  'GET /api/v1/operators/adapter': ['operator'],
  'GET /api/v1/providers/health': ['admin'],

  // Served by the gateway (report bodies live here), recorded as audit_report_opened.
  'POST /api/v1/audit/openings': ['auditor'],
  // Forwarded to the audit service (a stub here) once the gateway has checked the role.
  'GET /api/v1/audit/entries': ['auditor'],
  'POST /api/v1/audit/entries/search': ['auditor'],
  'GET /api/v1/audit/entries.csv': ['auditor'],
  'POST /api/v1/audit/entries/export': ['auditor'],
  'GET /api/v1/audit/anomalies': ['auditor'],
  'GET /api/v1/audit/chain': ['auditor'],
};

/** Served beside the API, not described by it: the OpenAPI UI and documents, public. */
const DOCUMENTATION = ['/api/docs', '/api/docs-json', '/api/docs-yaml'];

const ROLES: Role[] = ['officer', 'reviewer', 'auditor', 'admin', 'operator'];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

describe('every route × every role (real app, real PostgreSQL)', () => {
  let h: GatewayHarness;
  const tokens: Partial<Record<Role | 'officer.cq' | 'reviewer.cq', string>> = {};
  let documented: string[];
  let verificationId: string;
  /** Stands in for the audit service: answers 200 to whatever the gateway forwards. */
  let auditStub: Server;
  const forwarded: string[] = [];

  beforeAll(async () => {
    auditStub = createServer((req, res) => {
      forwarded.push(`${req.method} ${req.url}`);
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => auditStub.listen(0, '127.0.0.1', resolve));
    h = await startGatewayHarness({ auditUrl: `http://127.0.0.1:${(auditStub.address() as AddressInfo).port}` });
    for (const role of ['officer', 'reviewer', 'auditor', 'admin'] as const) tokens[role] = await h.token(role);
    const asAdmin = (path: string, body: object) => h.http().post(path).set('Authorization', `Bearer ${tokens.admin}`).send(body).expect(201);
    await asAdmin('/api/v1/users', { username: 'operator.tax', password: 'operator-pass-1', role: 'operator', regionCode: '500115', provider: 'tax' });
    tokens.operator = await h.token('operator.tax', 'operator-pass-1');
    for (const role of ['officer', 'reviewer'] as const) {
      await asAdmin('/api/v1/users', { username: `${role}.cq`, password: 'other-region-pw', role, regionCode: '500116' });
      tokens[`${role}.cq`] = await h.token(`${role}.cq`, 'other-region-pw');
    }
    await asAdmin('/api/v1/policies', validPolicy());
    const created = await h.http().post('/api/v1/verifications').set('Authorization', `Bearer ${tokens.officer}`).send(validVerificationRequest()).expect(201);
    verificationId = created.body.id;

    const doc = await h.http().get('/api/docs-json').expect(200);
    documented = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
      METHODS.filter((m) => m in operations).map((m) => `${m.toUpperCase()} ${path}`),
    );
  });
  afterAll(async () => {
    await h?.close();
    await new Promise((resolve) => auditStub?.close(resolve));
  });

  function call(route: string, token?: string) {
    const [method, template] = route.split(' ');
    const path = template.replace('{id}', verificationId).replace('{username}', 'nobody');
    const test = h.http()[method.toLowerCase() as 'get' | 'post' | 'patch'](path);
    if (token) test.set('Authorization', `Bearer ${token}`);
    return method === 'GET' ? test : test.send({});
  }

  it('classifies every route the gateway serves, and only those', () => {
    expect([...documented].sort()).toEqual(Object.keys(ROUTES).sort());
  });

  it('answers 401 without a token on every route but the public ones', async () => {
    const seen: Record<string, number> = {};
    const expected: Record<string, string> = {};
    for (const [route, allowed] of Object.entries(ROUTES)) {
      const status = (await call(route)).status;
      seen[route] = allowed === 'public' ? (status === 401 || status === 403 ? status : 0) : status;
      expected[route] = allowed === 'public' ? '0' : '401';
    }
    expect(Object.fromEntries(Object.entries(seen).map(([r, s]) => [r, String(s)]))).toEqual(expected);
    for (const path of DOCUMENTATION) expect((await h.http().get(path)).status).toBe(200);
  });

  it.each(ROLES)('lets %s call exactly the routes its role may (403 elsewhere, never 401 or 5xx)', async (role) => {
    const outcomes: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const [route, allowed] of Object.entries(ROUTES)) {
      const status = (await call(route, tokens[role])).status;
      const may = allowed === 'public' || allowed.includes(role);
      outcomes[route] = status === 403 ? 'forbidden' : status === 401 ? 'unauthenticated' : status >= 500 ? `error ${status}` : 'allowed';
      expected[route] = may ? 'allowed' : 'forbidden';
    }
    expect(outcomes).toEqual(expected);
  });

  it('confines officers and reviewers to their region: another region’s verification is not found, and not listed', async () => {
    const reads = Object.keys(ROUTES).filter((r) => r.startsWith('GET ') && r.includes('{id}'));
    for (const [user, role] of [['officer.cq', 'officer'], ['reviewer.cq', 'reviewer']] as const) {
      const seen: Record<string, number> = {};
      for (const route of reads) seen[route] = (await call(route, tokens[user])).status;
      expect(seen).toEqual(Object.fromEntries(reads.map((r) => [r, (ROUTES[r] as Role[]).includes(role) ? 404 : 403])));
      const list = await h.http().get('/api/v1/verifications').set('Authorization', `Bearer ${tokens[user]}`).expect(200);
      expect(list.body.items.map((v: { id: string }) => v.id)).not.toContain(verificationId);
    }
    const other = await h.http().post('/api/v1/verifications').set('Authorization', `Bearer ${tokens['officer.cq']}`).send(validVerificationRequest()).expect(403);
    expect(other.body.type).toBe('urn:verihub:problem:region-not-allowed');
  });

  it('forwards audit routes for auditors only', async () => {
    forwarded.length = 0;
    for (const role of ROLES) await call('GET /api/v1/audit/chain', tokens[role]);
    await call('GET /api/v1/audit/chain');
    expect(forwarded).toEqual(['GET /api/v1/audit/chain']);
  });

  it('shows the auditor every region’s verifications but no report body', async () => {
    const detail = await h.http().get(`/api/v1/verifications/${verificationId}`).set('Authorization', `Bearer ${tokens.auditor}`).expect(200);
    expect(detail.body.report).toBeUndefined();
    await h.http().get(`/api/v1/verifications/${verificationId}/report`).set('Authorization', `Bearer ${tokens.auditor}`).expect(403);
  });
});
