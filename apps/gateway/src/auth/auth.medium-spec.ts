import type { LoggerService } from '@nestjs/common';
import { createHmac, randomBytes } from 'crypto';
import { startGatewayHarness, DEMO_PASSWORD, type GatewayHarness } from '../testing/gateway-harness';
import { legacyScryptHashForTests } from './password-hasher';

/** An HS256 JWT signed with `secret` (what a client could forge if it knew the secret, or an old token). */
function signJwt(secret: string, claims: Record<string, unknown>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

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

describe('authentication (real app, real PostgreSQL)', () => {
  const jwtSecret = randomBytes(32).toString('hex');
  let h: GatewayHarness;
  let admin: string;

  beforeAll(async () => {
    h = await startGatewayHarness({ jwtSecret });
    admin = await h.token('admin');
  });
  afterAll(async () => h?.close());

  const signIn = (username: string, password: string) => h.http().post('/api/v1/auth/token').send({ username, password });
  const createUser = (user: Record<string, unknown>) => h.http().post('/api/v1/users').set('Authorization', `Bearer ${admin}`).send(user);
  const hashOf = async (username: string) =>
    (await h.pg.query<{ password_hash: string }>(`SELECT password_hash FROM gateway.users WHERE username = $1`, [username])).rows[0]?.password_hash;

  it('issues a token for a demo account with who it is and when it expires', async () => {
    const response = await signIn('officer', DEMO_PASSWORD).expect(200);
    expect(response.body).toEqual({
      accessToken: expect.any(String),
      expiresIn: 3600,
      user: { username: 'officer', role: 'officer', regionCode: '500115' },
    });
    const claims = JSON.parse(Buffer.from(response.body.accessToken.split('.')[1], 'base64url').toString());
    expect(claims.exp - claims.iat).toBe(3600);
  });

  it('stores passwords as argon2id (demo accounts too), never the password itself', async () => {
    for (const username of ['officer', 'reviewer', 'auditor', 'admin']) expect(await hashOf(username)).toMatch(/^\$argon2id\$v=19\$(?=[^$]*\bm=19456\b)(?=[^$]*\bt=2\b)(?=[^$]*\bp=1\b)[^$]+\$/);
    await createUser({ username: 'reviewer.wang', password: 'a-long-secret-1', role: 'reviewer', regionCode: '500116' }).expect(201);
    const hash = await hashOf('reviewer.wang');
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(hash).not.toContain('a-long-secret-1');
    const signedIn = await signIn('reviewer.wang', 'a-long-secret-1').expect(200);
    expect(signedIn.body.user).toEqual({ username: 'reviewer.wang', role: 'reviewer', regionCode: '500116' });
  });

  it('accepts an account’s legacy scrypt hash once, and replaces it with argon2id at that sign-in', async () => {
    await createUser({ username: 'officer.old', password: 'an-old-password-1', role: 'officer', regionCode: '500115' }).expect(201);
    await h.pg.query(`UPDATE gateway.users SET password_hash = $1 WHERE username = 'officer.old'`, [await legacyScryptHashForTests('an-old-password-1')]);
    await signIn('officer.old', 'wrong-password-1').expect(401);
    expect(await hashOf('officer.old')).toMatch(/^scrypt\$/);

    await signIn('officer.old', 'an-old-password-1').expect(200);
    expect(await hashOf('officer.old')).toMatch(/^\$argon2id\$/);
    await signIn('officer.old', 'an-old-password-1').expect(200);
  });

  it('answers a wrong password, an unknown user and a deactivated one alike: 401 problem', async () => {
    await createUser({ username: 'officer.gone', password: 'officer-gone-pw', role: 'officer', regionCode: '500115' }).expect(201);
    await h.http().patch('/api/v1/users/officer.gone').set('Authorization', `Bearer ${admin}`).send({ active: false }).expect(200);
    for (const [username, password] of [
      ['officer', 'wrong-password'],
      ['nobody', DEMO_PASSWORD],
      ['officer.gone', 'officer-gone-pw'],
    ]) {
      const response = await signIn(username, password).expect(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toEqual({
        type: 'urn:verihub:problem:invalid-credentials',
        title: 'Invalid credentials',
        status: 401,
        detail: 'Wrong username or password.',
        errors: [],
      });
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

  it('refuses an expired token with a 401 problem', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'officer', role: 'officer', region: '500115', ver: 0 };
    const live = signJwt(jwtSecret, { ...claims, iat: now - 10, exp: now + 60 });
    await h.http().get('/api/v1/verifications').set('Authorization', `Bearer ${live}`).expect(200);

    const expired = signJwt(jwtSecret, { ...claims, iat: now - 3700, exp: now - 100 });
    const response = await h.http().get('/api/v1/verifications').set('Authorization', `Bearer ${expired}`).expect(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: 'urn:verihub:problem:authentication-required', status: 401, detail: expect.stringContaining('expired') });
  });

  it('lets a token expire after the configured lifetime', async () => {
    const short = await startGatewayHarness({ tokenLifetimeSeconds: 1 });
    try {
      const signedIn = await short.http().post('/api/v1/auth/token').send({ username: 'officer', password: DEMO_PASSWORD }).expect(200);
      expect(signedIn.body.expiresIn).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      await short.http().get('/api/v1/verifications').set('Authorization', `Bearer ${signedIn.body.accessToken}`).expect(401);
    } finally {
      await short.close();
    }
  });

  it('refuses a token signed with another secret, and one without a token version', async () => {
    const other = await startGatewayHarness();
    try {
      const foreign = await other.token('admin');
      await h.http().get('/api/v1/verifications').set('Authorization', `Bearer ${foreign}`).expect(401);
    } finally {
      await other.close();
    }
    const now = Math.floor(Date.now() / 1000);
    const versionless = signJwt(jwtSecret, { sub: 'admin', role: 'admin', region: '500115', iat: now, exp: now + 60 });
    await h.http().get('/api/v1/users').set('Authorization', `Bearer ${versionless}`).expect(401);
  });

  it('ends open tokens when the password changes or the account is deactivated', async () => {
    await createUser({ username: 'officer.zhao', password: 'officer-zhao-pw', role: 'officer', regionCode: '500115' }).expect(201);
    const first = await h.token('officer.zhao', 'officer-zhao-pw');
    await h.http().get('/api/v1/verifications').set('Authorization', `Bearer ${first}`).expect(200);

    await h.http().patch('/api/v1/users/officer.zhao').set('Authorization', `Bearer ${admin}`).send({ password: 'officer-zhao-new' }).expect(200);
    const revoked = await h.http().get('/api/v1/verifications').set('Authorization', `Bearer ${first}`).expect(401);
    expect(revoked.body.detail).toMatch(/revoked/);
    await signIn('officer.zhao', 'officer-zhao-pw').expect(401);
    const second = await h.token('officer.zhao', 'officer-zhao-new');
    await h.http().get('/api/v1/verifications').set('Authorization', `Bearer ${second}`).expect(200);

    await h.http().patch('/api/v1/users/officer.zhao').set('Authorization', `Bearer ${admin}`).send({ active: false }).expect(200);
    await h.http().get('/api/v1/verifications').set('Authorization', `Bearer ${second}`).expect(401);
    await signIn('officer.zhao', 'officer-zhao-new').expect(401);

    await h.http().patch('/api/v1/users/officer.zhao').set('Authorization', `Bearer ${admin}`).send({ active: true }).expect(200);
    await h.http().get('/api/v1/verifications').set('Authorization', `Bearer ${second}`).expect(401);
    await signIn('officer.zhao', 'officer-zhao-new').expect(200);
  });

  it('applies a role or region change from the next token on', async () => {
    await createUser({ username: 'officer.qian', password: 'officer-qian-pw', role: 'officer', regionCode: '500115' }).expect(201);
    const before = await h.token('officer.qian', 'officer-qian-pw');
    await h.http().patch('/api/v1/users/officer.qian').set('Authorization', `Bearer ${admin}`).send({ role: 'reviewer', regionCode: '500116' }).expect(200);
    await h.http().get('/api/v1/verifications').set('Authorization', `Bearer ${before}`).expect(401);
    const after = await signIn('officer.qian', 'officer-qian-pw').expect(200);
    expect(after.body.user).toEqual({ username: 'officer.qian', role: 'reviewer', regionCode: '500116' });
    await h.http().get('/api/v1/reviews/pending').set('Authorization', `Bearer ${after.body.accessToken}`).expect(200);
  });

  it('logs sign-ins and account changes without a password, a hash, or a username that has no account', async () => {
    const logs = new CapturingLogger();
    const logged = await startGatewayHarness({ logger: logs });
    try {
      const http = () => logged.http();
      const adminToken = await logged.token('admin');
      await http().post('/api/v1/users').set('Authorization', `Bearer ${adminToken}`)
        .send({ username: 'officer.log', password: 'first-secret-pw', role: 'officer', regionCode: '500115' }).expect(201);
      await http().post('/api/v1/auth/token').send({ username: 'officer.log', password: 'typo-secret-pw' }).expect(401);
      await http().post('/api/v1/auth/token').send({ username: 'my-secret-typed-here', password: 'first-secret-pw' }).expect(401);
      await http().patch('/api/v1/users/officer.log').set('Authorization', `Bearer ${adminToken}`).send({ password: 'second-secret-pw' }).expect(200);
      await http().post('/api/v1/auth/token').send({ username: 'officer.log', password: 'second-secret-pw' }).expect(200);

      const text = logs.lines.join('\n');
      expect(text).toContain('sign-in failed for "officer.log"');
      expect(text).toContain('user officer.log changed by admin: password');
      for (const secret of [DEMO_PASSWORD, 'first-secret-pw', 'typo-secret-pw', 'second-secret-pw', 'my-secret-typed-here', '$argon2', 'scrypt$']) {
        expect(text).not.toContain(secret);
      }
    } finally {
      await logged.close();
    }
  });

  it('creates the bootstrap administrator only when none exists', async () => {
    const fresh = await startGatewayHarness({ demoAccounts: undefined, bootstrapAdminPassword: 'bootstrap-secret-1' });
    try {
      await fresh.http().post('/api/v1/auth/token').send({ username: 'officer', password: DEMO_PASSWORD }).expect(401);
      const signedIn = await fresh.http().post('/api/v1/auth/token').send({ username: 'admin', password: 'bootstrap-secret-1' }).expect(200);
      expect(signedIn.body.user).toEqual({ username: 'admin', role: 'admin', regionCode: '500000' });
      expect(await fresh.count('users')).toBe(1);
      const { rows } = await fresh.pg.query<{ password_hash: string }>(`SELECT password_hash FROM gateway.users`);
      expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
    } finally {
      await fresh.close();
    }
  });
});
