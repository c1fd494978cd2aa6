import type { LoggerService } from '@nestjs/common';
import { startGatewayHarness, type GatewayHarness } from '../testing/gateway-harness';
import { APPLICANT_ID, SPOUSE_ID, validPolicy, validVerificationRequest } from '../testing/households';

class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown, ...rest: unknown[]): void {
    this.lines.push([message, ...rest].map(String).join(' '));
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.log(message, ...rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.log(message, ...rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.log(message, ...rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.log(message, ...rest);
  }
}

describe('HTTP edges: problems, docs, logs (real app)', () => {
  let h: GatewayHarness;
  const logs = new CapturingLogger();

  beforeAll(async () => {
    h = await startGatewayHarness({ logger: logs });
  });
  afterAll(async () => h?.close());

  it('answers malformed JSON with a 400 problem, without internals', async () => {
    const token = await h.token('officer');
    const response = await h
      .http()
      .post('/api/v1/verifications')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send('{"program": "dibao",')
      .expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toEqual({
      type: 'urn:verihub:problem:malformed-body',
      title: 'Malformed request body',
      status: 400,
      detail: 'The request body is not valid JSON.',
      errors: [],
    });
  });

  it('answers a JSON body that is not an object with a 400 problem', async () => {
    const token = await h.token('officer');
    const response = await h.http().post('/api/v1/verifications').set('Authorization', `Bearer ${token}`).send([1, 2]).expect(400);
    expect(response.body.errors).toEqual([{ field: '', message: 'must be a JSON object' }]);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const response = await h.http().get('/api/v1/nothing-here').expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toEqual({
      type: 'urn:verihub:problem:route-not-found',
      title: 'Not Found',
      status: 404,
      detail: 'No route GET /api/v1/nothing-here',
      errors: [],
    });
    await h.http().delete('/api/v1/verifications').expect(404);
  });

  it('serves the OpenAPI document listing every route, DTO and the problem schema', async () => {
    const doc = (await h.http().get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/audit/anomalies',
      '/api/v1/audit/chain',
      '/api/v1/audit/entries',
      '/api/v1/audit/entries.csv',
      '/api/v1/audit/entries/export',
      '/api/v1/audit/entries/search',
      '/api/v1/audit/openings',
      '/api/v1/auth/token',
      '/api/v1/authorizations',
      '/api/v1/authorizations/{id}/revoke',
      '/api/v1/batches',
      '/api/v1/batches/{id}',
      '/api/v1/batches/{id}/cancel',
      '/api/v1/batches/{id}/errors',
      '/api/v1/batches/{id}/results',
      '/api/v1/health',
      '/api/v1/operators/adapter',
      '/api/v1/policies',
      '/api/v1/providers/health',
      '/api/v1/reviews/pending',
      '/api/v1/users',
      '/api/v1/users/{username}',
      '/api/v1/verifications',
      '/api/v1/verifications/{id}',
      '/api/v1/verifications/{id}/objections',
      '/api/v1/verifications/{id}/report',
      '/api/v1/verifications/{id}/report/signature',
      '/api/v1/verifications/{id}/report/versions',
    ]);
    expect(Object.keys(doc.paths['/api/v1/verifications']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/v1/policies']).sort()).toEqual(['get', 'post']);
    expect(doc.components.schemas).toEqual(
      expect.objectContaining({
        ProblemDto: expect.anything(),
        CreateVerificationDto: expect.anything(),
        MemberDto: expect.anything(),
        AuthorizationDto: expect.anything(),
        DeclarationDto: expect.anything(),
        CreatePolicyDto: expect.anything(),
        TokenResponseDto: expect.anything(),
        VerificationDetailView: expect.anything(),
      }),
    );
    expect(doc.paths['/api/v1/verifications'].post.responses['400']).toMatchObject({
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDto' } } },
    });
    const ui = await h.http().get('/api/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger');
  });

  it('logs requests by method, route, status, latency and user — never identity numbers or names', async () => {
    const admin = await h.token('admin');
    await h.http().post('/api/v1/policies').set('Authorization', `Bearer ${admin}`).send(validPolicy()).expect(201);
    const officer = await h.token('officer');
    const created = await h.http().post('/api/v1/verifications').set('Authorization', `Bearer ${officer}`).send(validVerificationRequest()).expect(201);
    const bad = validVerificationRequest();
    bad.members[1].idNumber = SPOUSE_ID.slice(0, 17) + (SPOUSE_ID[17] === '0' ? '1' : '0');
    await h.http().post('/api/v1/verifications').set('Authorization', `Bearer ${officer}`).send(bad).expect(400);
    await h.http().get(`/api/v1/verifications/${created.body.id}`).set('Authorization', `Bearer ${officer}`).expect(200);

    const text = logs.lines.join('\n');
    expect(text).toMatch(/POST \/api\/v1\/verifications 201 \d+\.\dms user=officer/);
    expect(text).toMatch(/GET \/api\/v1\/verifications\/:id 200 \d+\.\dms user=officer/);
    expect(text).toContain(`${APPLICANT_ID.slice(0, 6)}********${APPLICANT_ID.slice(-4)}`);
    for (const secret of [APPLICANT_ID, SPOUSE_ID, bad.members[1].idNumber, '张三', '李四', 'demo-password-for-tests']) {
      expect(text).not.toContain(secret);
    }
  });
});
