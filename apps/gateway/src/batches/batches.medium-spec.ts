import { batchLane, Topics, VerificationRequested, VerificationStatus, VerificationUpdated } from '@verihub/contracts';
import { makeIdentityNumber } from '@verihub/domain';
import { migrateGateway, startGateway } from '../gateway.app';
import { eventually, startGatewayHarness, testMessagingConfig, DEMO_PASSWORD, TEST_DATA_ENCRYPTION_KEY, TEST_IDENTITY_HASH_KEY, type GatewayHarness } from '../testing/gateway-harness';
import { authorizationTimes, validPolicy } from '../testing/households';

/** A distinct valid household of two (applicant + spouse) per index, with its own authorization documents. */
function household(index: number, overrides: Record<string, unknown> = {}) {
  const { signedAt, expiresAt } = authorizationTimes();
  const applicant = makeIdentityNumber('500115', '1970-01-01', 100 + index * 2);
  const spouse = makeIdentityNumber('500115', '1972-02-02', 101 + index * 2);
  return {
    program: 'dibao',
    purpose: 'review',
    regionCode: '500115',
    members: [
      { idNumber: applicant, name: '王甲', relation: 'applicant' },
      { idNumber: spouse, name: '赵乙', relation: 'spouse' },
    ],
    declared: { monthlyIncome: { wage: 100000 + index }, financialAssets: 5000 },
    authorizations: [
      { idNumber: applicant, signedBy: applicant, documentRef: `BATCH-AUTH-${index}-A`, signedAt, expiresAt },
      { idNumber: spouse, signedBy: spouse, documentRef: `BATCH-AUTH-${index}-B`, signedAt, expiresAt },
    ],
    ...overrides,
  };
}

const jsonl = (lines: Array<object | string>) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';

describe('batches (real app, real PostgreSQL, in-process transport)', () => {
  let h: GatewayHarness;
  let officer: string;
  let admin: string;

  beforeAll(async () => {
    h = await startGatewayHarness({ batches: { maxInFlight: 3, submitConcurrency: 2 } });
    officer = await h.token('officer');
    admin = await h.token('admin');
    await h.http().post('/api/v1/policies').set('Authorization', `Bearer ${admin}`).send(validPolicy()).expect(201);
  });
  afterAll(async () => h?.close());

  const upload = (body: string, type = 'application/x-ndjson', token = officer) =>
    h.http().post('/api/v1/batches').set('Authorization', `Bearer ${token}`).set('Content-Type', type).send(body);
  const progress = (id: string, token = officer) => h.http().get(`/api/v1/batches/${id}`).set('Authorization', `Bearer ${token}`);

  /** Answers for the aggregator: every pending verification of the batch gets a complete report. */
  async function completePending(batchId: string): Promise<number> {
    const { rows } = await h.pg.query<{ id: string; line: number }>(
      `SELECT v.id, i.line FROM gateway.verifications v JOIN gateway.batch_items i ON i.verification_id = v.id
        WHERE i.batch_id = $1 AND v.status = 'pending'`,
      [batchId],
    );
    for (const { id, line } of rows) {
      const report = {
        reportNumber: `R-${line}`,
        verificationId: id,
        version: 1,
        conclusion: line % 2 ? 'within_limits' : 'exceeds_limits',
        tests: { income: 'pass', financialAssets: 'pass', vehicles: 'pass', realEstate: line % 2 ? 'pass' : 'fail' },
        income: { monthlyTotal: line * 200, monthlyPerCapita: line * 100, byCategory: { wage: line * 200, business: 0, property: 0, transfer: 0 } },
        assets: { financialTotal: line * 1000 },
        discrepancies: line % 2 ? [] : [{ kind: 'property_undeclared' }],
        sources: [],
      };
      const message = VerificationUpdated.fromPartial({
        verificationId: id,
        status: VerificationStatus.VERIFICATION_STATUS_COMPLETE,
        reportVersion: 1,
        reportJson: JSON.stringify(report),
        updatedAt: new Date().toISOString(),
        changeReason: 'first issue',
      });
      await h.publisher.publish([{ topic: Topics.verificationUpdated, key: id, value: VerificationUpdated.encode(message).finish() }]);
    }
    return rows.length;
  }

  async function finish(batchId: string): Promise<void> {
    await eventually(async () => {
      await completePending(batchId);
      return (await progress(batchId).expect(200)).body.status === 'completed';
    }, `batch ${batchId} completed`, 20_000);
  }

  it('accepts the valid lines, names each refused one by number and reason, and verifies every household once', async () => {
    const verificationsBefore = await h.count('verifications');
    const body = jsonl([
      household(1),
      household(2, { members: [{ idNumber: '110105194912310021', name: '张三', relation: 'applicant' }] }),
      '{"program": "dibao",',
      '',
      household(3),
      household(4, { program: 'lottery' }),
      household(5),
      household(6),
    ]);
    const submitted = await upload(body).expect(202);
    expect(submitted.body).toMatchObject({ status: 'running', total: 7, accepted: 4, rejected: 3, errorsTruncated: false });
    const errors = submitted.body.errors as Array<{ line: number; errors: Array<{ field: string; message: string }> }>;
    expect(errors.map((e) => e.line)).toEqual([2, 3, 6]);
    expect(errors[0].errors.map((e) => e.field)).toContain('members[0].idNumber');
    expect(errors[1].errors[0].message).toMatch(/not valid JSON/);
    expect(errors[2].errors).toEqual([expect.objectContaining({ field: 'program' })]);
    // Refused lines never carry the values they held, and the households wait encrypted at rest.
    expect(JSON.stringify(submitted.body)).not.toContain('110105194912310021');
    const raw = await h.pg.query<{ request: unknown; errors: unknown }>(
      `SELECT i.request, r.errors FROM gateway.batch_items i FULL JOIN gateway.batch_rejections r ON r.batch_id = i.batch_id AND r.line = i.line
        WHERE coalesce(i.batch_id, r.batch_id) = $1`,
      [submitted.body.id],
    );
    const stored = JSON.stringify(raw.rows);
    for (const hh of [household(1), household(3), household(5), household(6)]) {
      expect(stored).not.toContain(hh.members[0].idNumber);
      expect(stored).not.toContain(hh.members[0].name);
    }
    expect(stored).not.toContain('110105194912310021');
    const id = submitted.body.id as string;

    // Back-pressure: at most maxInFlight (3) verifications pending at once.
    await eventually(async () => (await h.count('verifications')) - verificationsBefore === 3, 'three submitted');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await h.count('verifications')) - verificationsBefore).toBe(3);
    const midway = (await progress(id).expect(200)).body;
    expect(midway).toMatchObject({ status: 'running', accepted: 4, done: 0, remaining: 4, counts: { pending: 3, queued: 1, complete: 0 } });

    // Batch households travel on the batch lane.
    const { rows } = await h.pg.query<{ value: Buffer }>(
      `SELECT o.value FROM gateway.outbox o JOIN gateway.batch_items i ON i.verification_id::text = o.message_key
        WHERE i.batch_id = $1 AND o.topic = $2`,
      [id, batchLane(Topics.verificationRequested)],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(VerificationRequested.decode(row.value).interactive).toBe(false);

    await finish(id);
    const done = (await progress(id).expect(200)).body;
    expect(done).toMatchObject({ status: 'completed', done: 4, remaining: 0, counts: { complete: 4, pending: 0, queued: 0, failed: 0 } });
    expect(done.finishedAt).toEqual(expect.any(String));
    expect((await h.count('verifications')) - verificationsBefore).toBe(4);

    const csv = await h.http().get(`/api/v1/batches/${id}/results`).set('Authorization', `Bearer ${officer}`).set('Accept', 'text/csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const csvLines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(csvLines[0]).toBe(
      'line,verificationId,status,conclusion,incomeTest,financialAssetsTest,vehiclesTest,realEstateTest,perCapitaIncome,financialTotal,discrepancyKinds,reportVersion,errors',
    );
    expect(csvLines).toHaveLength(5);
    expect(csvLines[1]).toMatch(/^1,[0-9a-f-]{36},complete,within_limits,pass,pass,pass,pass,100,1000,,1,$/);
    expect(csvLines[4]).toMatch(/^8,[0-9a-f-]{36},complete,exceeds_limits,pass,pass,pass,fail,800,8000,property_undeclared,1,$/);

    const ndjson = await h.http().get(`/api/v1/batches/${id}/results?format=jsonl`).set('Authorization', `Bearer ${officer}`).expect(200);
    const results = ndjson.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(results.map((r) => r.line)).toEqual([1, 5, 7, 8]);
    expect(results[3]).toMatchObject({ status: 'complete', conclusion: 'exceeds_limits', perCapitaIncome: 800, discrepancyKinds: ['property_undeclared'] });
    expect(new Set(results.map((r) => r.verificationId)).size).toBe(4);

    const listed = await h.http().get('/api/v1/batches').set('Authorization', `Bearer ${admin}`).expect(200);
    expect(listed.body.items.map((b: { id: string }) => b.id)).toContain(id);
    const allErrors = await h.http().get(`/api/v1/batches/${id}/errors`).set('Authorization', `Bearer ${officer}`).expect(200);
    expect(allErrors.body.items.map((e: { line: number }) => e.line)).toEqual([2, 3, 6]);
  });

  it('reads CSV households (one row per member) and refuses an unusable header or an unknown format', async () => {
    const a = household(20);
    const b = household(21);
    const header = 'household,program,purpose,regionCode,relation,idNumber,name,authorizationRef,authorizationSignedAt,authorizationExpiresAt,declaredWage';
    const rowOf = (key: string, hh: ReturnType<typeof household>, m: number, wage = '') =>
      [key, hh.program, hh.purpose, hh.regionCode, hh.members[m].relation, hh.members[m].idNumber, hh.members[m].name, hh.authorizations[m].documentRef, hh.authorizations[m].signedAt, hh.authorizations[m].expiresAt, wage].join(',');
    const csv = [header, rowOf('A', a, 0, '120000'), rowOf('A', a, 1), rowOf('B', b, 0, '12.5'), rowOf('C', b, 0), rowOf('C', b, 1)].join('\r\n');
    const accepted = await upload(csv, 'text/csv').expect(202);
    // B's wage is not integer fen; C reuses B's authorization documents, which is fine (same person, same document).
    expect(accepted.body).toMatchObject({ total: 3, accepted: 2, rejected: 1 });
    expect(accepted.body.errors).toEqual([{ line: 4, errors: [expect.objectContaining({ field: 'declared.monthlyIncome.wage' })] }]);
    await finish(accepted.body.id);

    const badHeader = await upload('household,program,nickname\r\nA,dibao,x\r\n', 'text/csv').expect(400);
    expect(badHeader.body.errors.map((e: { field: string }) => e.field)).toEqual(['header', 'header']);
    expect(badHeader.body.errors[0].message).toMatch(/nickname/);
    const batchesBefore = await h.count('batches');
    await upload('{}', 'application/xml').expect(415);
    const noType = await h.http().post('/api/v1/batches').set('Authorization', `Bearer ${officer}`).expect(400);
    expect(noType.body.errors[0].field).toBe('Content-Type');
    await upload('\n\n').expect(400);
    expect(await h.count('batches')).toBe(batchesBefore);
  });

  it('stores nothing from a file over the household limit, and keeps other regions’ batches out of sight', async () => {
    const small = await startGatewayHarness({ batches: { maxHouseholds: 2 } });
    try {
      const token = await small.token('officer');
      const body = jsonl([household(30), household(31), household(32)]);
      const refused = await small.http().post('/api/v1/batches').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/x-ndjson').send(body).expect(400);
      expect(refused.body.errors[0]).toMatchObject({ field: 'body', message: expect.stringMatching(/at most 2 households/) });
      expect(await small.count('batches')).toBe(0);
      expect(await small.count('batch_items')).toBe(0);
    } finally {
      await small.close();
    }

    const mine = await upload(jsonl([household(33)])).expect(202);
    await h.http().post('/api/v1/users').set('Authorization', `Bearer ${admin}`)
      .send({ username: 'officer.other', password: 'officer-other-password', role: 'officer', regionCode: '500116' }).expect(201);
    const other = await h.token('officer.other', 'officer-other-password');
    await progress(mine.body.id, other).expect(404);
    await h.http().get(`/api/v1/batches/${mine.body.id}/results`).set('Authorization', `Bearer ${other}`).expect(404);
    // A batch for another region is refused line by line, naming the region.
    const wrongRegion = await upload(jsonl([household(34)]), 'application/x-ndjson', other).expect(202);
    expect(wrongRegion.body).toMatchObject({ accepted: 0, rejected: 1, status: 'completed' });
    expect(wrongRegion.body.errors[0].errors[0].field).toBe('regionCode');
    const reviewer = await h.token('reviewer');
    await upload(jsonl([household(35)]), 'application/x-ndjson', reviewer).expect(403);
    await finish(mine.body.id);
  });

  it('cancels: queued households are never submitted, those with the providers finish; a finished batch cannot be cancelled', async () => {
    const before = await h.count('verifications');
    const submitted = await upload(jsonl([40, 41, 42, 43, 44, 45].map((i) => household(i)))).expect(202);
    const id = submitted.body.id as string;
    await eventually(async () => (await h.count('verifications')) - before === 3, 'three submitted');
    const cancelled = await h.http().post(`/api/v1/batches/${id}/cancel`).set('Authorization', `Bearer ${officer}`).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', counts: { pending: 3, queued: 0, cancelled: 3 } });
    await completePending(id);
    await eventually(async () => (await progress(id)).body.counts.complete === 3, 'the submitted three finish');
    expect((await h.count('verifications')) - before).toBe(3);
    await h.http().post(`/api/v1/batches/${id}/cancel`).set('Authorization', `Bearer ${officer}`).expect(409);
  });

  it('a household that cannot be submitted (authorization document already recorded for someone else) fails alone', async () => {
    const conflicting = household(50);
    conflicting.authorizations[0].documentRef = 'BATCH-AUTH-1-A'; // household 1's applicant's document
    const submitted = await upload(jsonl([conflicting, household(51)])).expect(202);
    expect(submitted.body).toMatchObject({ accepted: 2, rejected: 0 });
    const id = submitted.body.id as string;
    await finish(id);
    const done = (await progress(id)).body;
    expect(done.counts).toMatchObject({ failed: 1, complete: 1 });
    const errors = await h.http().get(`/api/v1/batches/${id}/errors`).set('Authorization', `Bearer ${officer}`).expect(200);
    expect(errors.body.items).toEqual([{ line: 1, errors: [expect.objectContaining({ field: 'authorizations[0].documentRef', message: expect.stringMatching(/another person/) })] }]);
  });

  it('accepts a group of households in one transaction, each decided as alone: a document cited for two people goes to the first', async () => {
    const roomy = await startGatewayHarness({ batches: { maxInFlight: 500, submitConcurrency: 2 } });
    try {
      const adminToken = await roomy.token('admin');
      await roomy.http().post('/api/v1/policies').set('Authorization', `Bearer ${adminToken}`).send(validPolicy()).expect(201);
      const token = await roomy.token('officer');
      const households = Array.from({ length: 60 }, (_, i) => household(100 + i));
      // Line 11 cites line 10's applicant's document for its own applicant: the record is line 10's (same group).
      households[10].authorizations[0].documentRef = households[9].authorizations[0].documentRef;
      const submitted = await roomy.http().post('/api/v1/batches').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/x-ndjson').send(jsonl(households)).expect(202);
      expect(submitted.body).toMatchObject({ accepted: 60, rejected: 0 });
      const id = submitted.body.id as string;
      const states = async () =>
        (await roomy.pg.query<{ state: string; n: string }>(`SELECT state, count(*) AS n FROM gateway.batch_items WHERE batch_id = $1 GROUP BY state ORDER BY state`, [id])).rows;
      await eventually(async () => JSON.stringify(await states()) === JSON.stringify([{ state: 'refused', n: '1' }, { state: 'submitted', n: '59' }]), '59 submitted, 1 refused');

      const errors = await roomy.http().get(`/api/v1/batches/${id}/errors`).set('Authorization', `Bearer ${token}`).expect(200);
      expect(errors.body.items).toEqual([{ line: 11, errors: [expect.objectContaining({ field: 'authorizations[0].documentRef', message: expect.stringMatching(/another person/) })] }]);
      // Written together: the 59 verifications share a handful of transactions (groups of 50), not one each.
      const { rows } = await roomy.pg.query<{ n: string; tx: string }>(
        `SELECT count(*) AS n, count(DISTINCT v.xmin::text) AS tx FROM gateway.verifications v JOIN gateway.batch_items i ON i.verification_id = v.id WHERE i.batch_id = $1`,
        [id],
      );
      expect(Number(rows[0].n)).toBe(59);
      expect(Number(rows[0].tx)).toBeLessThanOrEqual(4);
      // Each with its messages and links, as a single check would have.
      const requested = await roomy.pg.query(`SELECT count(*) AS n FROM gateway.outbox WHERE topic = $1`, [batchLane(Topics.verificationRequested)]);
      expect(Number(requested.rows[0].n)).toBe(59);
      const links = await roomy.pg.query(
        `SELECT count(*) AS n FROM gateway.verification_authorizations va JOIN gateway.batch_items i ON i.verification_id = va.verification_id WHERE i.batch_id = $1`,
        [id],
      );
      expect(Number(links.rows[0].n)).toBe(59 * 2);
    } finally {
      await roomy.close();
    }
  });

  it('survives a restart of the gateway mid-batch: every household verified exactly once', async () => {
    const first = await startGatewayHarness({ batches: { maxInFlight: 2, submitConcurrency: 1 } });
    let second: Awaited<ReturnType<typeof startGateway>> | undefined;
    try {
      const adminToken = await first.token('admin');
      await first.http().post('/api/v1/policies').set('Authorization', `Bearer ${adminToken}`).send(validPolicy()).expect(201);
      const token = await first.token('officer');
      const body = jsonl([60, 61, 62, 63, 64].map((i) => household(i)));
      const submitted = await first.http().post('/api/v1/batches').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/x-ndjson').send(body).expect(202);
      const id = submitted.body.id as string;
      await eventually(async () => (await first.count('verifications')) === 2, 'two submitted');
      await first.gateway.close();

      await migrateGateway({ databaseUrl: first.db.url });
      second = await startGateway({
        databaseUrl: first.db.url,
        messaging: testMessagingConfig(),
        port: 0,
        host: '127.0.0.1',
        jwtSecret: 'a-second-gateway-secret-of-enough-length-0123456789',
        identityHashKey: TEST_IDENTITY_HASH_KEY,
        dataEncryptionKey: TEST_DATA_ENCRYPTION_KEY,
        demoAccounts: { password: DEMO_PASSWORD },
        bankCodes: ['ICBC', 'CCB'],
        logger: false,
        batches: { maxInFlight: 10 },
      });
      await eventually(async () => (await first.count('verifications')) === 5, 'the rest submitted after the restart');
      const { rows } = await first.pg.query<{ n: string; distinct_ids: string }>(
        `SELECT count(*) AS n, count(DISTINCT i.verification_id) AS distinct_ids FROM gateway.batch_items i
           JOIN gateway.verifications v ON v.id = i.verification_id WHERE i.batch_id = $1`,
        [id],
      );
      expect(rows[0]).toEqual({ n: '5', distinct_ids: '5' });
      expect(await first.count('verifications')).toBe(5);
    } finally {
      await second?.close();
      await first.close().catch(() => undefined);
    }
  });
  it('keeps every batch’s counters equal to a count of its items and their verifications, whoever writes them', async () => {
    // Any writer moves them (the triggers are in the database): an objection's re-check sets a report back to
    // pending, a late answer turns a partial one complete.
    const { rows: submitted } = await h.pg.query<{ verification_id: string }>(
      `SELECT i.verification_id FROM gateway.batch_items i JOIN gateway.verifications v ON v.id = i.verification_id WHERE v.status = 'complete' LIMIT 2`,
    );
    expect(submitted).toHaveLength(2);
    await h.pg.query(`UPDATE gateway.verifications SET status = 'pending' WHERE id = $1`, [submitted[0].verification_id]);
    await h.pg.query(`UPDATE gateway.verifications SET status = 'partial' WHERE id = $1`, [submitted[1].verification_id]);
    await h.pg.query(`UPDATE gateway.verifications SET status = 'complete' WHERE id = $1`, [submitted[1].verification_id]);

    const { rows } = await h.pg.query(
      `SELECT b.id,
              b.items_queued = count(*) FILTER (WHERE i.state = 'queued') AS queued,
              b.items_refused = count(*) FILTER (WHERE i.state = 'refused') AS refused,
              b.items_cancelled = count(*) FILTER (WHERE i.state = 'cancelled') AS cancelled,
              b.households_pending = count(*) FILTER (WHERE v.status = 'pending') AS pending,
              b.households_complete = count(*) FILTER (WHERE v.status = 'complete') AS complete,
              b.households_partial = count(*) FILTER (WHERE v.status = 'partial') AS partial
         FROM gateway.batches b JOIN gateway.batch_items i ON i.batch_id = b.id LEFT JOIN gateway.verifications v ON v.id = i.verification_id
        GROUP BY b.id`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const row of rows) expect(row).toEqual({ id: row.id, queued: true, refused: true, cancelled: true, pending: true, complete: true, partial: true });
  });
});
