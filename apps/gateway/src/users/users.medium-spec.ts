import { startGatewayHarness, type GatewayHarness } from '../testing/gateway-harness';

describe('user administration (real app, real PostgreSQL)', () => {
  let h: GatewayHarness;
  let admin: string;

  beforeAll(async () => {
    h = await startGatewayHarness();
    admin = await h.token('admin');
  });
  afterAll(async () => h?.close());

  const asAdmin = {
    get: (path: string) => h.http().get(path).set('Authorization', `Bearer ${admin}`),
    post: (path: string, body: object) => h.http().post(path).set('Authorization', `Bearer ${admin}`).send(body),
    patch: (path: string, body: object) => h.http().patch(path).set('Authorization', `Bearer ${admin}`).send(body),
  };
  const fieldsOf = (body: { errors: Array<{ field: string }> }) => body.errors.map((e) => e.field).sort();

  it('lets only admins create users; no password or hash comes back', async () => {
    const officer = await h.token('officer');
    const user = { username: 'reviewer.wang', password: 'a-long-secret-1', role: 'reviewer', regionCode: '500116' };
    const forbidden = await h.http().post('/api/v1/users').set('Authorization', `Bearer ${officer}`).send(user).expect(403);
    expect(forbidden.body).toMatchObject({ status: 403, type: 'urn:verihub:problem:role-not-allowed' });

    const created = await asAdmin.post('/api/v1/users', user).expect(201);
    expect(created.body).toEqual({
      username: 'reviewer.wang',
      role: 'reviewer',
      regionCode: '500116',
      active: true,
      lockedUntil: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(JSON.stringify(created.body)).not.toMatch(/a-long-secret-1|argon2/);

    const again = await asAdmin.post('/api/v1/users', user).expect(409);
    expect(again.body.errors).toEqual([{ field: 'username', message: 'is taken' }]);
  });

  it('validates a new user: each bad field named, nothing stored', async () => {
    const before = await h.count('users');
    const response = await asAdmin.post('/api/v1/users', { username: 'X', password: 'short', role: 'boss', regionCode: '5001', provider: 'bank:icbc' }).expect(400);
    expect(fieldsOf(response.body)).toEqual(['password', 'provider', 'regionCode', 'role', 'username']);
    expect(response.body.errors.find((e: { field: string }) => e.field === 'provider').message).toMatch(/bank:<CODE>/);
    expect(await h.count('users')).toBe(before);
  });

  it('requires an operator’s provider, and refuses one for any other role', async () => {
    const base = { password: 'operator-pass-1', regionCode: '500115' };
    const missing = await asAdmin.post('/api/v1/users', { ...base, username: 'operator.none', role: 'operator' }).expect(400);
    expect(missing.body.errors).toEqual([{ field: 'provider', message: 'is required for the operator role' }]);
    const extra = await asAdmin.post('/api/v1/users', { ...base, username: 'officer.extra', role: 'officer', provider: 'tax' }).expect(400);
    expect(extra.body.errors).toEqual([{ field: 'provider', message: 'is only for the operator role' }]);

    const created = await asAdmin.post('/api/v1/users', { ...base, username: 'operator.icbc', role: 'operator', provider: 'bank:ICBC' }).expect(201);
    expect(created.body).toMatchObject({ username: 'operator.icbc', role: 'operator', provider: 'bank:ICBC' });
    const signedIn = await h.http().post('/api/v1/auth/token').send({ username: 'operator.icbc', password: 'operator-pass-1' }).expect(200);
    expect(signedIn.body.user).toEqual({ username: 'operator.icbc', role: 'operator', regionCode: '500115', provider: 'bank:ICBC' });
  });

  it('lists every account, by username, without hashes (admin only)', async () => {
    const listed = await asAdmin.get('/api/v1/users').expect(200);
    const names = listed.body.items.map((u: { username: string }) => u.username);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['admin', 'auditor', 'officer', 'reviewer']));
    for (const item of listed.body.items) expect(Object.keys(item).sort()).toEqual(expect.arrayContaining(['active', 'createdAt', 'lockedUntil', 'regionCode', 'role', 'updatedAt', 'username']));
    expect(JSON.stringify(listed.body)).not.toMatch(/argon2|scrypt|password|token/i);
    for (const role of ['officer', 'reviewer', 'auditor']) {
      await h.http().get('/api/v1/users').set('Authorization', `Bearer ${await h.token(role)}`).expect(403);
    }
  });

  it('changes role, region and provider; leaving the operator role drops the provider', async () => {
    await asAdmin.post('/api/v1/users', { username: 'staff.ma', password: 'staff-ma-pass', role: 'officer', regionCode: '500115' }).expect(201);
    const toOperator = await asAdmin.patch('/api/v1/users/staff.ma', { role: 'operator' }).expect(400);
    expect(toOperator.body.errors).toEqual([{ field: 'provider', message: 'is required for the operator role' }]);
    const operator = await asAdmin.patch('/api/v1/users/staff.ma', { role: 'operator', provider: 'housing' }).expect(200);
    expect(operator.body).toMatchObject({ role: 'operator', provider: 'housing', regionCode: '500115' });
    const moved = await asAdmin.patch('/api/v1/users/staff.ma', { provider: 'provident-fund', regionCode: '500116' }).expect(200);
    expect(moved.body).toMatchObject({ role: 'operator', provider: 'provident-fund', regionCode: '500116' });
    const back = await asAdmin.patch('/api/v1/users/staff.ma', { role: 'reviewer' }).expect(200);
    expect(back.body).toMatchObject({ role: 'reviewer', regionCode: '500116' });
    expect(back.body.provider).toBeUndefined();
    const { rows } = await h.pg.query(`SELECT provider FROM gateway.users WHERE username = 'staff.ma'`);
    expect(rows[0].provider).toBeNull();
  });

  it('validates a change: bad fields named, an empty change refused, an unknown user 404, nothing changed', async () => {
    const bad = await asAdmin.patch('/api/v1/users/officer', { role: 'king', regionCode: 'x', active: 'no', password: 'short', provider: 'water', shoeSize: 42 }).expect(400);
    expect(fieldsOf(bad.body)).toEqual(['active', 'password', 'provider', 'regionCode', 'role', 'shoeSize']);
    const nulls = await asAdmin.patch('/api/v1/users/officer', { role: null, active: null }).expect(400);
    expect(fieldsOf(nulls.body)).toEqual(['active', 'role']);
    const empty = await asAdmin.patch('/api/v1/users/officer', {}).expect(400);
    expect(empty.body.errors).toEqual([{ field: '', message: expect.stringContaining('at least one') }]);
    const missing = await asAdmin.patch('/api/v1/users/nobody', { active: false }).expect(404);
    expect(missing.body).toMatchObject({ type: 'urn:verihub:problem:user-not-found', status: 404 });
    await h.http().post('/api/v1/auth/token').send({ username: 'officer', password: 'demo-password-for-tests' }).expect(200);
  });

  it('refuses SQL and script in usernames, wherever they arrive, and changes nothing', async () => {
    const before = (await h.pg.query(`SELECT username, role, active, token_version FROM gateway.users ORDER BY username`)).rows;
    for (const username of ["admin' OR '1'='1", "x'; DROP TABLE gateway.users; --", '<script>alert(1)</script>']) {
      const created = await asAdmin.post('/api/v1/users', { username, password: 'injection-pass-1', role: 'officer', regionCode: '500115' }).expect(400);
      expect(created.body.errors).toEqual([{ field: 'username', message: expect.stringContaining('3-32 characters') }]);
      await asAdmin.patch(`/api/v1/users/${encodeURIComponent(username)}`, { active: false }).expect(404);
      const signIn = await h.http().post('/api/v1/auth/token').send({ username, password: "' OR '1'='1" }).expect(401);
      expect(JSON.stringify(signIn.body)).not.toContain('<script>');
    }
    expect((await h.pg.query(`SELECT username, role, active, token_version FROM gateway.users ORDER BY username`)).rows).toEqual(before);
  });

  it('keeps the last active administrator: it can be neither deactivated nor demoted (409)', async () => {
    const self = await asAdmin.patch('/api/v1/users/admin', { active: false }).expect(409);
    expect(self.body).toMatchObject({ type: 'urn:verihub:problem:last-active-admin', status: 409, errors: [{ field: 'active', message: expect.any(String) }] });
    const demoted = await asAdmin.patch('/api/v1/users/admin', { role: 'auditor' }).expect(409);
    expect(demoted.body.errors).toEqual([{ field: 'role', message: expect.any(String) }]);

    await asAdmin.post('/api/v1/users', { username: 'admin.two', password: 'admin-two-pass', role: 'admin', regionCode: '500000' }).expect(201);
    // Two at once: only one of them may go.
    const [a, b] = await Promise.all([
      asAdmin.patch('/api/v1/users/admin.two', { active: false }),
      asAdmin.patch('/api/v1/users/admin', { role: 'auditor' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const { rows } = await h.pg.query<{ n: string }>(`SELECT count(*) AS n FROM gateway.users WHERE role = 'admin' AND active`);
    expect(Number(rows[0].n)).toBe(1);
  });
});
