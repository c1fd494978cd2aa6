import { randomBytes } from 'crypto';
import { startGateway, type RunningGateway } from '../gateway.app';
import { startGatewayHarness, testMessagingConfig, TEST_DATA_ENCRYPTION_KEY, TEST_IDENTITY_HASH_KEY, type GatewayHarness } from '../testing/gateway-harness';
import request from 'supertest';

const LOCK_SECONDS = 2;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('lockout after repeated failed sign-ins (real app, real PostgreSQL)', () => {
  const jwtSecret = randomBytes(32).toString('hex');
  let h: GatewayHarness;
  let admin: string;

  beforeAll(async () => {
    h = await startGatewayHarness({ jwtSecret, signInLockout: { maxFailures: 5, lockSeconds: LOCK_SECONDS } });
    admin = await h.token('admin');
  });
  afterAll(async () => h?.close());

  const signIn = (username: string, password: string, http = h.http()) => http.post('/api/v1/auth/token').send({ username, password });
  const createOfficer = (username: string, password: string) =>
    h.http().post('/api/v1/users').set('Authorization', `Bearer ${admin}`).send({ username, password, role: 'officer', regionCode: '500115' }).expect(201);

  function expectLocked(response: request.Response): void {
    expect(response.status).toBe(429);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: 'urn:verihub:problem:sign-in-locked', status: 429, title: 'Too many failed sign-ins' });
    const retryAfter = Number(response.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(LOCK_SECONDS);
  }

  it('locks an account after 5 wrong passwords, even against the right one, and opens it again after the lock time', async () => {
    await createOfficer('officer.sun', 'officer-sun-pw');
    for (let i = 0; i < 5; i++) await signIn('officer.sun', `wrong-${i}-password`).expect(401);
    expectLocked(await signIn('officer.sun', 'officer-sun-pw'));
    expectLocked(await signIn('officer.sun', 'wrong-again-pw'));
    const { rows } = await h.pg.query<{ locked_until: Date }>(`SELECT locked_until FROM gateway.users WHERE username = 'officer.sun'`);
    expect(rows[0].locked_until.getTime()).toBeGreaterThan(Date.now());

    await sleep(LOCK_SECONDS * 1000 + 100);
    const signedIn = await signIn('officer.sun', 'officer-sun-pw').expect(200);
    expect(signedIn.body.user.username).toBe('officer.sun');
  });

  it('counts consecutive failures only: a success resets the count', async () => {
    await createOfficer('officer.li', 'officer-li-pw1');
    for (let i = 0; i < 4; i++) await signIn('officer.li', 'wrong-password').expect(401);
    await signIn('officer.li', 'officer-li-pw1').expect(200);
    for (let i = 0; i < 4; i++) await signIn('officer.li', 'wrong-password').expect(401);
    await signIn('officer.li', 'officer-li-pw1').expect(200);
    const { rows } = await h.pg.query<{ failed_logins: number }>(`SELECT failed_logins FROM gateway.users WHERE username = 'officer.li'`);
    expect(rows[0].failed_logins).toBe(0);
  });

  it('treats an unknown username exactly alike: same answers, same lock, same Retry-After', async () => {
    const answers = async (username: string, password: string) => {
      const seen: Array<{ status: number; body: unknown }> = [];
      for (let i = 0; i < 6; i++) {
        const response = await signIn(username, i < 5 ? `wrong-${i}-password` : password);
        seen.push({ status: response.status, body: response.body });
      }
      return seen;
    };
    await createOfficer('officer.zhou', 'officer-zhou-pw');
    const known = await answers('officer.zhou', 'officer-zhou-pw');
    const unknown = await answers('officer.nobody', 'officer-zhou-pw');
    expect(known.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429]);
    expect(unknown).toEqual(known);
  });

  it('spends about the same time on an unknown username as on a wrong password (a dummy hash is checked)', async () => {
    await createOfficer('officer.wu', 'officer-wu-pw1');
    const timed = async (username: string) => {
      const started = process.hrtime.bigint();
      await signIn(username, 'not-the-password').expect(401);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      known.push(await timed('officer.wu'));
      unknown.push(await timed(`officer.ghost${i}`));
    }
    // Without the dummy hash an unknown username answers in ~1 ms against ~90 ms of argon2id.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.4);
  });

  it('keeps an account’s lock across a restart (it is in the users table)', async () => {
    await createOfficer('officer.zheng', 'officer-zheng-pw');
    for (let i = 0; i < 5; i++) await signIn('officer.zheng', 'wrong-password').expect(401);
    let second: RunningGateway | undefined;
    try {
      second = await startGateway({
        databaseUrl: h.db.url,
        messaging: testMessagingConfig('verihub-gateway-2'),
        port: 0,
        host: '127.0.0.1',
        jwtSecret,
        identityHashKey: TEST_IDENTITY_HASH_KEY,
        dataEncryptionKey: TEST_DATA_ENCRYPTION_KEY,
        bankCodes: ['ICBC', 'CCB'],
        logger: false,
        signInLockout: { maxFailures: 5, lockSeconds: LOCK_SECONDS },
      });
      expectLocked(await signIn('officer.zheng', 'officer-zheng-pw', request(second.url)));
    } finally {
      await second?.close();
    }
  });

  it('lets an administrator lift a lock (unlock, or a password reset)', async () => {
    await createOfficer('officer.feng', 'officer-feng-pw');
    for (let i = 0; i < 5; i++) await signIn('officer.feng', 'wrong-password').expect(401);
    expectLocked(await signIn('officer.feng', 'officer-feng-pw'));
    const listed = await h.http().get('/api/v1/users').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(listed.body.items.find((u: { username: string }) => u.username === 'officer.feng').lockedUntil).toEqual(expect.any(String));

    const unlocked = await h.http().patch('/api/v1/users/officer.feng').set('Authorization', `Bearer ${admin}`).send({ unlock: true }).expect(200);
    expect(unlocked.body.lockedUntil).toBeNull();
    await signIn('officer.feng', 'officer-feng-pw').expect(200);
  });
});
