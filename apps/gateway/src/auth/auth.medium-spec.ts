import { startGatewayHarness, type GatewayHarness } from '../testing/gateway-harness';

describe('authentication and roles (real app, real PostgreSQL)', () => {
  let h: GatewayHarness;

  beforeAll(async () => {
    h = await startGatewayHarness();
  });
  afterAll(async () => h?.close());

  it('issues a token for a demo account with who it is', async () => {
    const response = await h.http().post('/api/v1/auth/token').send({ username: 'officer', password: 'demo-password-for-tests' }).expect(200);
    expect(response.body).toEqual({
      accessToken: expect.any(String),
      expiresIn: 3600,
      user: { username: 'officer', role: 'officer', regionCode: '500115' },
    });
  });

  it('answers a wrong password and an unknown user alike: 401 problem', async () => {
    for (const body of [
      { username: 'officer', password: 'wrong-password' },
      { username: 'nobody', password: 'demo-password-for-tests' },
    ]) {
      const response = await h.http().post('/api/v1/auth/token').send(body).expect(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 401, title: 'Invalid credentials', detail: 'Wrong username or password.' });
    }
  });

  it('refuses every /api/v1 route without a valid token (401), but not health', async () => {
    await h.http().get('/api/v1/verifications').expect(401);
    await h.http().post('/api/v1/policies').send({}).expect(401);
    const bad = await h.http().get('/api/v1/verifications').set('Authorization', 'Bearer not-a-token').expect(401);
    expect(bad.body).toMatchObject({ type: 'urn:verihub:problem:authentication-required', status: 401 });
    expect(bad.headers['www-authenticate']).toBe('Bearer');
    await h.http().get('/api/v1/health').expect(200, { status: 'ok' });
  });

  it('refuses a token signed with another secret', async () => {
    const other = await startGatewayHarness();
    try {
      const foreign = await other.token('admin');
      await h.http().get('/api/v1/verifications').set('Authorization', `Bearer ${foreign}`).expect(401);
    } finally {
      await other.close();
    }
  });

  it('lets only admins create users; the new user signs in; no password comes back', async () => {
    const officer = await h.token('officer');
    const admin = await h.token('admin');
    const user = { username: 'reviewer.wang', password: 'a-long-secret-1', role: 'reviewer', regionCode: '500116' };

    const forbidden = await h.http().post('/api/v1/users').set('Authorization', `Bearer ${officer}`).send(user).expect(403);
    expect(forbidden.body).toMatchObject({ status: 403, type: 'urn:verihub:problem:role-not-allowed' });

    const created = await h.http().post('/api/v1/users').set('Authorization', `Bearer ${admin}`).send(user).expect(201);
    expect(created.body).toEqual({ username: 'reviewer.wang', role: 'reviewer', regionCode: '500116', createdAt: expect.any(String) });
    expect(JSON.stringify(created.body)).not.toContain('a-long-secret-1');

    const { rows } = await h.pg.query<{ password_hash: string }>(`SELECT password_hash FROM gateway.users WHERE username = 'reviewer.wang'`);
    expect(rows[0].password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(rows[0].password_hash).not.toContain('a-long-secret-1');

    const signIn = await h.http().post('/api/v1/auth/token').send({ username: user.username, password: user.password }).expect(200);
    expect(signIn.body.user).toEqual({ username: 'reviewer.wang', role: 'reviewer', regionCode: '500116' });

    const again = await h.http().post('/api/v1/users').set('Authorization', `Bearer ${admin}`).send(user).expect(409);
    expect(again.body.errors).toEqual([{ field: 'username', message: 'is taken' }]);
  });

  it('validates a new user: each bad field named, nothing stored', async () => {
    const admin = await h.token('admin');
    const before = await h.count('users');
    const response = await h
      .http()
      .post('/api/v1/users')
      .set('Authorization', `Bearer ${admin}`)
      .send({ username: 'X', password: 'short', role: 'boss', regionCode: '5001' })
      .expect(400);
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['password', 'regionCode', 'role', 'username']);
    expect(await h.count('users')).toBe(before);
  });

  it('gives an operator nothing but health', async () => {
    const admin = await h.token('admin');
    await h
      .http()
      .post('/api/v1/users')
      .set('Authorization', `Bearer ${admin}`)
      .send({ username: 'operator.tax', password: 'operator-pass-1', role: 'operator', regionCode: '500115' })
      .expect(201);
    const operator = await h.token('operator.tax', 'operator-pass-1');
    for (const path of ['/api/v1/verifications', '/api/v1/policies']) {
      await h.http().get(path).set('Authorization', `Bearer ${operator}`).expect(403);
    }
    await h.http().get('/api/v1/health').set('Authorization', `Bearer ${operator}`).expect(200);
  });

  it('creates the bootstrap administrator only when none exists', async () => {
    const fresh = await startGatewayHarness({ demoAccounts: undefined, bootstrapAdminPassword: 'bootstrap-secret-1' });
    try {
      await fresh.http().post('/api/v1/auth/token').send({ username: 'officer', password: 'demo-password-for-tests' }).expect(401);
      const signIn = await fresh.http().post('/api/v1/auth/token').send({ username: 'admin', password: 'bootstrap-secret-1' }).expect(200);
      expect(signIn.body.user).toEqual({ username: 'admin', role: 'admin', regionCode: '500000' });
      expect(await fresh.count('users')).toBe(1);
    } finally {
      await fresh.close();
    }
  });
});
