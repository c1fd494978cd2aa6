/**
 * The gateway in front of the REAL audit service (its bootstrap, as the hub would start it), on one test
 * database and the in-process transport: what the gateway records reaches the hash-chained log, and an
 * auditor finds an officer's lookup by the person's identity number — through the gateway.
 */
import { randomBytes } from 'crypto';
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import { resetInProcessBroker } from '@verihub/messaging';
import { migrateAudit, startAudit, type RunningAudit } from '../../../audit/src/audit.app';
import { auditEventsInOutbox } from '../testing/audit-events';
import { eventually, startGatewayHarness, testMessagingConfig, TEST_IDENTITY_HASH_KEY, type GatewayHarness } from '../testing/gateway-harness';
import { APPLICANT_ID, validPolicy, validVerificationRequest } from '../testing/households';

describe('gateway → real audit service', () => {
  const jwtSecret = randomBytes(32).toString('hex');
  let h: GatewayHarness;
  let audit: RunningAudit | undefined;

  beforeAll(async () => {
    resetInProcessBroker();
    // The audit service needs the gateway's database: it starts second, on a port chosen beforehand.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const auditPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    h = await startGatewayHarness({ jwtSecret, auditUrl: `http://127.0.0.1:${auditPort}` });
    await migrateAudit({ databaseUrl: h.db.url });
    audit = await startAudit({
      databaseUrl: h.db.url,
      messaging: testMessagingConfig('verihub-audit'),
      port: auditPort,
      host: '127.0.0.1',
      jwtSecret,
      identityHashKey: TEST_IDENTITY_HASH_KEY,
      poolSize: 4,
      logger: false,
    });
  });
  afterAll(async () => {
    await audit?.close();
    await h?.close();
  });

  it('finds the verification_created entry by the applicant’s identity number, through the gateway', async () => {
    const admin = await h.token('admin');
    const officer = await h.token('officer');
    const auditor = await h.token('auditor');
    await h.http().post('/api/v1/policies').set('Authorization', `Bearer ${admin}`).send(validPolicy()).expect(201);
    const created = await h.http().post('/api/v1/verifications').set('Authorization', `Bearer ${officer}`).send(validVerificationRequest()).expect(201);
    const verificationId: string = created.body.id;

    const search = () =>
      h.http().post('/api/v1/audit/entries/search').set('Authorization', `Bearer ${auditor}`).send({ idNumber: APPLICANT_ID, action: 'verification_created' });
    await eventually(async () => (await search().expect(200)).body.total === 1, 'the verification_created entry in the audit log');
    const found = await search().expect(200);
    expect(found.body.items).toEqual([
      expect.objectContaining({
        action: 'verification_created',
        case: expect.objectContaining({ verificationId, program: 'dibao', regionCode: '500115' }),
        actor: expect.objectContaining({ username: 'officer', role: 'officer' }),
        sourceService: 'gateway',
        subjects: expect.arrayContaining(['500115********' + APPLICANT_ID.slice(14)]),
      }),
    ]);
    expect(JSON.stringify(found.body)).not.toContain(APPLICANT_ID);

    // Every event the gateway emitted is accepted by the audit service (none dead-lettered): sign-ins failed
    // for an unknown username, account administration, report reads…
    await h.http().post('/api/v1/auth/token').send({ username: 'nobody-at-all', password: 'whatever-else' }).expect(401);
    await h.http().post('/api/v1/users').set('Authorization', `Bearer ${admin}`)
      .send({ username: 'officer.two', password: 'officer-two-pw', role: 'officer', regionCode: '500115' }).expect(201);
    await h.http().patch('/api/v1/users/officer.two').set('Authorization', `Bearer ${admin}`).send({ regionCode: '500116' }).expect(200);
    const emitted = (await auditEventsInOutbox(h)).map((e) => e.event.eventId);
    await eventually(async () => {
      const { rows } = await h.pg.query<{ n: string }>(`SELECT count(*) AS n FROM audit.entries WHERE event_id = ANY($1::uuid[])`, [emitted]);
      return Number(rows[0].n) === emitted.length;
    }, `all ${emitted.length} gateway events in the audit log`);

    // The log holds the gateway's sign-ins too, and the chain is intact.
    const chain = await h.http().get('/api/v1/audit/chain').set('Authorization', `Bearer ${auditor}`).expect(200);
    expect(chain.body).toMatchObject({ ok: true });
    const csv = await h.http().get('/api/v1/audit/entries.csv?action=login_succeeded').set('Authorization', `Bearer ${auditor}`).expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.trim().split('\n').length).toBeGreaterThanOrEqual(4);
  });
});
