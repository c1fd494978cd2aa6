import type { Response } from 'supertest';
import { DEMO_PASSWORD, startGatewayHarness, type GatewayHarness } from '../testing/gateway-harness';

const WINDOW_SECONDS = 2;

function expectRateLimited(response: Response): void {
  expect(response.status).toBe(429);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ type: 'urn:verihub:problem:rate-limited', title: 'Too many requests', status: 429 });
  const retryAfter = Number(response.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
}

describe('rate limits (real app, real PostgreSQL)', () => {
  let h: GatewayHarness;

  beforeAll(async () => {
    h = await startGatewayHarness({ rateLimits: { loginLimit: 3, apiLimit: 5, windowSeconds: WINDOW_SECONDS } });
  });
  afterAll(async () => h?.close());

  const signIn = (username: string, password = DEMO_PASSWORD) => h.http().post('/api/v1/auth/token').send({ username, password });
  const sleepPastWindow = () => new Promise((resolve) => setTimeout(resolve, WINDOW_SECONDS * 1000 + 200));

  it('limits sign-in requests per client IP, whatever the username or outcome: 429 problem with Retry-After', async () => {
    await signIn('officer').expect(200);
    await signIn('nobody', 'wrong-password').expect(401);
    await signIn('reviewer').expect(200);
    expectRateLimited(await signIn('auditor'));
    // A request that fails validation is counted too (the limit comes before anything else).
    expectRateLimited(await h.http().post('/api/v1/auth/token').send({}));
    await sleepPastWindow();
    await signIn('auditor').expect(200);
  });

  it('limits each user’s API requests across all routes, per user; health has no limit', async () => {
    await sleepPastWindow();
    const officer = (await signIn('officer').expect(200)).body.accessToken as string;
    const reviewer = (await signIn('reviewer').expect(200)).body.accessToken as string;
    const as = (token: string, path: string) => h.http().get(path).set('Authorization', `Bearer ${token}`);

    for (const path of ['/api/v1/verifications', '/api/v1/policies', '/api/v1/verifications', '/api/v1/policies', '/api/v1/verifications']) {
      await as(officer, path).expect(200);
    }
    expectRateLimited(await as(officer, '/api/v1/policies'));
    // Another user from the same address has its own budget.
    await as(reviewer, '/api/v1/verifications').expect(200);
    for (let i = 0; i < 10; i++) await h.http().get('/api/v1/health').expect(200);

    await sleepPastWindow();
    await as(officer, '/api/v1/verifications').expect(200);
  });
});
