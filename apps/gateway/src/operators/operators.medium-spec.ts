import { SourceStatus, Topics, VerificationStatus, VerificationUpdated } from '@verihub/contracts';
import { eventually, startGatewayHarness, type GatewayHarness } from '../testing/gateway-harness';
import { validPolicy, validVerificationRequest } from '../testing/households';

const MINUTE = 60_000;

describe('providers’ health: operators see their own adapter, administrators every one (real app, real PostgreSQL)', () => {
  let h: GatewayHarness;
  let admin: string;
  let officer: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    h = await startGatewayHarness({ bankCodes: ['ICBC', 'CCB'] });
    admin = await h.token('admin');
    officer = await h.token('officer');
    await h.http().post('/api/v1/policies').set('Authorization', `Bearer ${admin}`).send(validPolicy()).expect(201);
    for (const [username, provider] of [
      ['operator.tax', 'tax'],
      ['operator.icbc', 'bank:ICBC'],
      ['operator.housing', 'housing'],
    ]) {
      const body = { username, password: 'operator-pass-1', role: 'operator', regionCode: '500115', provider };
      await h.http().post('/api/v1/users').set('Authorization', `Bearer ${admin}`).send(body).expect(201);
      tokens[username] = await h.token(username, 'operator-pass-1');
    }
  });
  afterAll(async () => h?.close());

  type Source = { provider: string; status: SourceStatus; respondedAt?: string; reason?: string };

  /** A verification the aggregator reports on with these sources (through the real message handler). */
  async function verificationWith(sources: Source[], minutesAgo = 0): Promise<string> {
    const created = await h.http().post('/api/v1/verifications').set('Authorization', `Bearer ${officer}`).send(validVerificationRequest()).expect(201);
    const id: string = created.body.id;
    const message = VerificationUpdated.fromPartial({
      verificationId: id,
      status: VerificationStatus.VERIFICATION_STATUS_PENDING,
      sources: sources.map((s) => ({ department: s.provider.startsWith('bank:') ? 'bank' : s.provider, records: 1, respondedAt: '', ...s })),
      reportVersion: 0,
      updatedAt: new Date().toISOString(),
    });
    await h.publisher.publish([{ topic: Topics.verificationUpdated, key: id, value: VerificationUpdated.encode(message).finish() }]);
    await eventually(async () => {
      const { rows } = await h.pg.query(`SELECT sources FROM gateway.verifications WHERE id = $1`, [id]);
      return rows[0].sources.some((s: { status: string }) => s.status !== 'pending');
    }, `the update of ${id}`);
    if (minutesAgo > 0) {
      await h.pg.query(`UPDATE gateway.verifications SET updated_at = now() - make_interval(mins => $2) WHERE id = $1`, [id, minutesAgo]);
    }
    return id;
  }

  const ago = (minutes: number) => new Date(Date.now() - minutes * MINUTE).toISOString();
  const adapterOf = (username: string) => h.http().get('/api/v1/operators/adapter').set('Authorization', `Bearer ${tokens[username]}`);

  it('counts its own provider’s answers, errors and timeouts of the last hour — and nothing of another provider', async () => {
    const answered = SourceStatus.SOURCE_STATUS_ANSWERED;
    await verificationWith([
      { provider: 'tax', status: answered, respondedAt: ago(5) },
      { provider: 'bank:ICBC', status: SourceStatus.SOURCE_STATUS_TIMEOUT },
      { provider: 'housing', status: SourceStatus.SOURCE_STATUS_NO_RECORD, respondedAt: ago(5) },
    ]);
    await verificationWith([
      { provider: 'tax', status: SourceStatus.SOURCE_STATUS_ERROR, respondedAt: ago(3), reason: 'exchange database unavailable' },
      { provider: 'bank:ICBC', status: SourceStatus.SOURCE_STATUS_TIMEOUT },
      { provider: 'housing', status: answered, respondedAt: ago(2) },
    ]);
    // Older than an hour: not counted, but still the newest answer seen.
    await verificationWith([{ provider: 'bank:ICBC', status: answered, respondedAt: ago(120) }], 120);

    const tax = await adapterOf('operator.tax').expect(200);
    expect(tax.body).toEqual({
      provider: 'tax',
      answeredLastHour: 1,
      failedLastHour: 1,
      timedOutLastHour: 0,
      lastAnsweredAt: expect.any(String),
      status: 'up',
    });
    expect(Date.now() - Date.parse(tax.body.lastAnsweredAt)).toBeGreaterThan(4 * MINUTE);

    const housing = await adapterOf('operator.housing').expect(200);
    expect(housing.body).toMatchObject({ provider: 'housing', answeredLastHour: 2, failedLastHour: 0, timedOutLastHour: 0, status: 'up' });

    const icbc = await adapterOf('operator.icbc').expect(200);
    expect(icbc.body).toMatchObject({ provider: 'bank:ICBC', answeredLastHour: 0, failedLastHour: 0, timedOutLastHour: 2, status: 'silent' });
    expect(Date.now() - Date.parse(icbc.body.lastAnsweredAt)).toBeGreaterThan(119 * MINUTE);

    // Only counts and times: no verification, no person, no record, no other provider.
    for (const body of [tax.body, housing.body, icbc.body]) {
      expect(Object.keys(body).sort()).toEqual(['answeredLastHour', 'failedLastHour', 'lastAnsweredAt', 'provider', 'status', 'timedOutLastHour']);
    }
    expect(JSON.stringify(icbc.body)).not.toMatch(/tax|housing|500115|[0-9a-f]{8}-[0-9a-f]{4}/);
  });

  it('gives the administrator every configured provider (and only the administrator)', async () => {
    const all = await h.http().get('/api/v1/providers/health').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(all.body.items.map((p: { provider: string }) => p.provider)).toEqual(['public-security', 'tax', 'housing', 'provident-fund', 'bank:ICBC', 'bank:CCB']);
    expect(all.body.items.find((p: { provider: string }) => p.provider === 'bank:CCB')).toEqual({
      provider: 'bank:CCB',
      answeredLastHour: 0,
      failedLastHour: 0,
      timedOutLastHour: 0,
      lastAnsweredAt: null,
      status: 'up',
    });
    expect(all.body.items.find((p: { provider: string }) => p.provider === 'bank:ICBC')).toMatchObject({ timedOutLastHour: 2, status: 'silent' });
    for (const token of [officer, tokens['operator.tax'], await h.token('auditor'), await h.token('reviewer')]) {
      await h.http().get('/api/v1/providers/health').set('Authorization', `Bearer ${token}`).expect(403);
    }
  });

  it('keeps operators out of everything else, and everyone else out of the operator route', async () => {
    for (const path of ['/api/v1/verifications', '/api/v1/policies', '/api/v1/users', '/api/v1/reviews/pending', '/api/v1/providers/health']) {
      await h.http().get(path).set('Authorization', `Bearer ${tokens['operator.tax']}`).expect(403);
    }
    for (const role of ['officer', 'reviewer', 'auditor', 'admin']) {
      await h.http().get('/api/v1/operators/adapter').set('Authorization', `Bearer ${await h.token(role)}`).expect(403);
    }
  });

  it('follows a change of the operator’s provider from its next token', async () => {
    const before = tokens['operator.housing'];
    await h.http().patch('/api/v1/users/operator.housing').set('Authorization', `Bearer ${admin}`).send({ provider: 'bank:CCB' }).expect(200);
    await h.http().get('/api/v1/operators/adapter').set('Authorization', `Bearer ${before}`).expect(401);
    const after = await h.token('operator.housing', 'operator-pass-1');
    const health = await h.http().get('/api/v1/operators/adapter').set('Authorization', `Bearer ${after}`).expect(200);
    expect(health.body.provider).toBe('bank:CCB');
  });
});
